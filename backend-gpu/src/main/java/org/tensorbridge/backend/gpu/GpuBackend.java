package org.tensorbridge.backend.gpu;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.tensorbridge.BackendCapabilities;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.BinaryOp;
import org.tensorbridge.spi.FusedExpression;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.spi.SparseOperand;
import org.tensorbridge.spi.SparseParts;
import org.tensorbridge.spi.Storage;

/**
 * The GPU backend: tensors live in OpenCL device memory ({@code cl_mem}) on one device, and every
 * operation runs as an OpenCL C kernel there.
 *
 * <p><b>Sharing.</b> Device memory is never shared with the host. {@code toHost} with
 * {@code IF_NEEDED} or {@code ALWAYS} copies with one blocking {@code clEnqueueReadBuffer} and reports
 * {@code INDEPENDENT} with the bytes copied; {@code NEVER} throws {@code CopyRequiredException} naming
 * the device and the policies that work. {@code fromBuffer} and the {@code constant} factories copy
 * host data to the device with one blocking {@code clEnqueueWriteBuffer}; a caller's buffer is never
 * wrapped ({@code NEVER} is refused). Capabilities: {@code sharesHostMemory=false},
 * {@code sharesWritable=false}, {@code wrapsHostBuffers=false}.
 *
 * <p><b>Dtypes.</b> All ten, except {@code float64} on a device without double precision
 * ({@code cl_khr_fp64}). float16 and bfloat16 are stored as 16-bit patterns and computed in float
 * with bit-exact conversions, so they need no {@code cl_khr_fp16}.
 *
 * <p><b>Kernels.</b> Dense: fill, elementwise add/subtract/multiply/divide with NumPy broadcasting
 * (per-axis broadcast strides), tiled matmul in local memory, cast between every pair of dtypes (as
 * Java converts), and the integer-division zero check. Sparse: coalesce, add, transpose, toSparse,
 * sparse x dense matmul, sum along an axis and toDense, by device sort, prefix sums and segmented sums
 * ({@link SparseKernels}), and the index checks of a new sparse tensor (the first index outside the
 * dense shape, and whether the indices are canonical).
 *
 * <p><b>Fusion.</b> A graph run hands a chain of floating-point elementwise operations over operands of
 * the result's shape to {@link #fusedElementwise}; this backend generates one OpenCL C kernel for it
 * that reads each input once, evaluates the chain in registers (float16 and bfloat16 in float, rounded
 * after each operation as the unfused kernels round, so the values are identical) and writes the result
 * once. Scalars are kernel arguments, so one program serves every scalar value of an expression's
 * signature. Programs are compiled once per (signature, input count, dtype) and kept in a
 * least-recently-used cache of 256; an evicted program's kernel and program are released at once.
 *
 * <p><b>What crosses to the host.</b> No element of any operation: only scalars. One int per integer
 * division's zero check and per operation that makes a sparse result (its nnz; the transpose reads one
 * more for its canonical flag); for a new sparse tensor, one int for the index check (plus the offending
 * index value when it fails) and one for the canonical check. The dense shape's dims or strides and
 * broadcast strides go up as a few longs. A CSR matrix ({@code sparseCsr}) is checked and expanded to
 * COO indices by kernels: one int comes back for each of its two checks (plus the offending entry's
 * values when one fails).
 *
 * <p><b>Thread-safety.</b> Thread-safe. The OpenCL queue and the cached kernels are driven under one
 * lock per backend ({@link ClContext}), so operations of one backend run one at a time on its device;
 * the base class holds references to operands while they run, so a concurrent {@code close()} never
 * frees memory under a kernel.
 *
 * <p><b>Lifetime.</b> Tensors hold reference-counted {@code cl_mem} buffers, released when the last
 * holder closes. Programs are compiled once per backend, on first use, and cached (fused ones in the
 * bounded cache above). {@link #close()} releases kernels, programs, the queue and the context; a
 * backend from {@code Backends.get("gpu")} is shared and should not be closed.
 */
public final class GpuBackend extends AbstractBackend implements AutoCloseable {
    /** The name this backend registers under. */
    public static final String NAME = "gpu";

    private final ClContext cl;
    private final DenseKernels dense;
    private final SparseKernels sparse;
    private final FusedKernels fused;
    private final IndexChecks indexChecks;
    private final long maxTensorBytes;

    private GpuBackend(DeviceInfo device, ClContext cl, Set<DType> dtypes) {
        super(NAME, device.toDevice(), BackendCapabilities.builder()
                .sharesHostMemory(false)
                .sharesWritable(false)
                .wrapsHostBuffers(false)
                .supportedDTypes(dtypes)
                .build());
        this.cl = cl;
        this.dense = new DenseKernels(cl);
        this.sparse = new SparseKernels(cl, this::allocateDevice);
        this.fused = new FusedKernels(cl);
        this.indexChecks = new IndexChecks(cl);
        this.maxTensorBytes = Math.max(0, Math.min(device.maxAllocation(), Integer.MAX_VALUE));
    }

    /** A backend on {@code device}, with its own context and queue. */
    static GpuBackend open(DeviceInfo device) {
        Set<DType> dtypes = supportedDTypes(device);
        ClContext cl = new ClContext(device, new ProgramSources(dtypes, device.fp64(), tile(device)));
        try {
            return new GpuBackend(device, cl, dtypes);
        } catch (RuntimeException | Error e) {
            cl.close();
            throw e;
        }
    }

    static Set<DType> supportedDTypes(DeviceInfo device) {
        Set<DType> dtypes = EnumSet.allOf(DType.class);
        if (!device.fp64()) {
            dtypes.remove(DType.FLOAT64);
        }
        return dtypes;
    }

    /** The largest square work-group edge the device runs: 16, 8, 4 or 1. */
    static int tile(DeviceInfo device) {
        for (int edge : new int[] {16, 8, 4}) {
            if (device.maxWorkGroupSize() >= (long) edge * edge) {
                return edge;
            }
        }
        return 1;
    }

    // ---- memory and transfers ----

    @Override
    protected Storage allocate(long byteSize) {
        return allocateDevice(byteSize);
    }

    private DeviceStorage allocateDevice(long byteSize) {
        return DeviceStorage.allocate(cl, byteSize, ledger());
    }

    @Override
    protected void upload(ByteBuffer source, Storage target) {
        DeviceStorage device = (DeviceStorage) target;
        if (device.isEmpty() || !source.hasRemaining()) {
            return;
        }
        cl.locked(() -> cl.write(source, device.memory(), 0));
    }

    @Override
    protected void download(Storage source, ByteBuffer target) {
        DeviceStorage device = (DeviceStorage) source;
        if (device.isEmpty() || !target.hasRemaining()) {
            return;
        }
        cl.locked(() -> cl.read(device.memory(), 0, target));
    }

    @Override
    protected long maxTensorBytes() {
        return maxTensorBytes;
    }

    // ---- dense kernels ----

    @Override
    protected void fill(Operand target, ByteBuffer element) {
        cl.locked(() -> dense.fill(target, element));
    }

    @Override
    protected boolean containsZero(Operand operand) {
        return cl.locked(() -> dense.containsZero(operand));
    }

    @Override
    protected void elementwise(BinaryOp op, Operand a, Operand b, Operand result) {
        cl.locked(() -> dense.elementwise(op, a, b, result));
    }

    @Override
    protected void matmul(Operand a, Operand b, Operand result) {
        cl.locked(() -> dense.matmul(a, b, result));
    }

    @Override
    protected void cast(Operand source, Operand result) {
        cl.locked(() -> dense.cast(source, result));
    }

    /**
     * One generated kernel for the whole chain (see {@link FusedKernels}); an expression it does not
     * cover (not floating-point, or operands not all of the result's dtype and shape) runs step by step.
     */
    @Override
    protected void fusedElementwise(FusedExpression expression, List<Operand> inputs, Operand result) {
        if (!FusedKernels.supports(expression, inputs, result)) {
            super.fusedElementwise(expression, inputs, result);
            return;
        }
        cl.locked(() -> fused.run(expression, inputs, result));
    }

    // ---- sparse kernels ----

    /** A device kernel over the indices; only the offending position and value come back. */
    @Override
    protected String firstInvalidIndex(Operand indices, Shape denseShape) {
        if (!IndexChecks.fits(indices)) {
            return super.firstInvalidIndex(indices, denseShape);
        }
        return cl.locked(() -> indexChecks.firstInvalidIndex(indices, denseShape));
    }

    /** A device kernel over the indices; one flag comes back. */
    @Override
    protected boolean isCanonical(Operand indices, Shape denseShape) {
        if (!IndexChecks.fits(indices)) {
            return super.isCanonical(indices, denseShape);
        }
        return cl.locked(() -> indexChecks.isCanonical(indices, denseShape));
    }

    /** Device kernels check indptr and the columns and expand them; one int (and a message's values) comes back. */
    @Override
    protected void csrToCoo(Operand indptr, Operand columns, long columnCount, Operand coo) {
        if (!IndexChecks.fitsCsr(indptr, columns)) {
            super.csrToCoo(indptr, columns, columnCount, coo);
            return;
        }
        cl.locked(() -> indexChecks.csrToCoo(indptr, columns, columnCount, coo));
    }

    @Override
    protected SparseParts coalesce(SparseOperand a) {
        return cl.locked(() -> sparse.coalesce(a));
    }

    @Override
    protected SparseParts add(SparseOperand a, SparseOperand b) {
        return cl.locked(() -> sparse.add(a, b));
    }

    @Override
    protected SparseParts transpose(SparseOperand a) {
        return cl.locked(() -> sparse.transpose(a));
    }

    @Override
    protected SparseParts toSparse(Operand dense) {
        return cl.locked(() -> sparse.toSparse(dense));
    }

    @Override
    protected void matmul(SparseOperand a, Operand b, Operand result) {
        cl.locked(() -> sparse.matmul(a, b, result));
    }

    @Override
    protected void sum(SparseOperand a, int axis, Operand result) {
        cl.locked(() -> sparse.sum(a, axis, result));
    }

    @Override
    protected void toDense(SparseOperand a, Operand result) {
        cl.locked(() -> sparse.toDense(a, result));
    }

    // ---- diagnostics and lifetime ----

    /**
     * OpenCL buffers ({@code cl_mem}) of this backend now alive: tensor memory and any scratch buffer of
     * an operation in progress. Back where it started once every tensor is closed.
     */
    public long liveDeviceBuffers() {
        return cl.liveBuffers();
    }

    /** OpenCL buffers this backend ever created. */
    public long createdDeviceBuffers() {
        return cl.createdBuffers();
    }

    /**
     * OpenCL programs compiled so far: at most one per dtype plus one shared program, each compiled once,
     * and one per fused expression signature and dtype, compiled again only after the bounded fused
     * cache evicted it.
     */
    public int compiledPrograms() {
        return cl.locked(() -> cl.programs().builds());
    }

    /**
     * OpenCL kernels this backend ever launched (enqueued); a fused graph chain counts one. For tests and
     * benchmarks.
     */
    public long kernelLaunches() {
        return cl.launches();
    }

    /** The context, for this package's tests. */
    ClContext context() {
        return cl;
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        return cl.isClosed();
    }

    /**
     * Releases the cached kernels and programs, the command queue and the context. Operations
     * afterwards throw {@code ClosedResourceException}; tensors still open keep their buffers until
     * they are closed. Idempotent. Do not close the shared backend of {@code Backends.get("gpu")}.
     */
    @Override
    public void close() {
        cl.close();
    }
}
