package org.tensorbridge.backend.gpu;

import java.util.EnumSet;
import java.util.Set;
import org.tensorbridge.DType;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.BackendSpec;
import org.tensorbridge.spi.HostIndexChecks;
import org.tensorbridge.spi.ValueChecks;

/**
 * The GPU backend: tensors live in OpenCL device memory ({@code cl_mem}) on one device, and every
 * operation runs as an OpenCL C kernel there. It is a {@link BackendSpec} of the spi: device memory
 * ({@link DeviceMemory}), kernels ({@link GpuKernels}), fusion ({@link GpuFusion}), value and index checks
 * on the device; and no host sharing or wrapping, so its capabilities say it shares nothing.
 *
 * <p><b>Sharing.</b> Device memory is never shared with the host. {@code toHost} with
 * {@code IF_NEEDED} or {@code ALWAYS} copies with one blocking {@code clEnqueueReadBuffer} and reports
 * {@code INDEPENDENT} with the bytes copied. On a discrete GPU the copy lands in pinned host memory
 * ({@code CL_MEM_ALLOC_HOST_PTR}, mapped once), lent by a bounded pool for the array's life and taken
 * back at its close (system properties {@code tensorbridge.gpu.pinned}: {@code auto}, {@code always},
 * {@code never}; {@code tensorbridge.gpu.pinned.bytes}: the bytes of idle blocks kept, default 512 MiB);
 * elsewhere (PoCL, integrated GPUs) in the library's host pool. Either way the array is an ordinary,
 * independent host array, read-only unless {@code Access.WRITABLE} was asked for, whose
 * {@code asByteBuffer()} stays safe to use after close. {@code NEVER} throws
 * {@code CopyRequiredException} naming the device and the policies that work. {@code fromBuffer} and the
 * {@code constant} factories copy host data to the device with one blocking {@code clEnqueueWriteBuffer};
 * a caller's buffer is never wrapped ({@code NEVER} is refused). Capabilities: {@code sharesHostMemory=false},
 * {@code sharesWritable=false}, {@code wrapsHostBuffers=false}.
 *
 * <p><b>Dtypes.</b> All ten, except {@code float64} on a device without double precision
 * ({@code cl_khr_fp64}). float16 and bfloat16 are stored as 16-bit patterns and computed in float
 * with bit-exact conversions, so they need no {@code cl_khr_fp16}.
 *
 * <p><b>Kernels.</b> Dense: fill; every elementwise operation of {@link ElementFunctions} (add, subtract,
 * multiply, divide, maximum, minimum, pow with NumPy broadcasting; neg, abs, exp, log, sqrt, tanh);
 * tiled matmul in local memory; cast between every pair of dtypes (as Java converts); transpose by any
 * permutation, as a strided gather; sum, mean, max and min over any axes, with or without kept dims; and
 * the guards' zero and negative checks. Sparse: coalesce, add, transpose, toSparse, sparse x dense
 * matmul, sum along an axis and toDense, by device sort, prefix sums and segmented sums
 * ({@link SparseKernels}), and the index checks of a new sparse tensor.
 *
 * <p><b>Values.</b> Integer arithmetic wraps. Add, subtract, multiply, divide, sqrt, neg, abs, maximum,
 * minimum, casts, transposes, integer reductions, max and min are bit for bit the reference's (for sqrt
 * and float32 division where the device rounds them correctly, {@code CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT});
 * floating sums and means too where the device has double precision, since they accumulate in
 * {@code double} in the reference's order and round once. exp, log, tanh and pow on floating dtypes are
 * the device's math library, within its documented ulps (OpenCL 1.2: 3, 3, 5 and 16 ulp), then rounded
 * to the dtype.
 *
 * <p><b>Fusion.</b> A graph run hands a chain of floating-point elementwise operations over operands of
 * the result's shape to {@link GpuFusion}, which generates one OpenCL C kernel for it that reads each
 * input once, evaluates the chain in registers by the same element functions the unfused kernels call
 * (float16 and bfloat16 in float, rounded after each operation as the unfused kernels round, so the
 * values are identical) and writes the result once. Scalars are kernel arguments, so one program serves
 * every scalar value of an expression's signature. Programs are compiled once per (signature, input
 * count, dtype) and kept in a least-recently-used cache of 256; an evicted program's kernel and program
 * are released at once.
 *
 * <p><b>What crosses to the host.</b> No element of any operation: only scalars. One int per guard check
 * (integer division, integer power) and per operation that makes a sparse result (its nnz; the transpose
 * reads one more for its canonical flag); for a new sparse tensor, one int for the index check (plus the
 * offending index value when it fails) and one for the canonical check. Dims and strides for
 * broadcasting, transposes and reductions go up as a few longs.
 *
 * <p><b>Thread-safety.</b> Thread-safe. The OpenCL queue and the cached kernels are driven only through
 * a {@link ClQueue}, which exists only inside one locked block of the backend's {@link ClContext}, so
 * operations of one backend run one at a time on its device; the spi holds references to operands while
 * they run, so a concurrent {@code close()} never frees memory under a kernel.
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
    private final PinnedPool pinned;

    private GpuBackend(BackendSpec spec, ClContext cl, PinnedPool pinned) {
        super(spec);
        this.cl = cl;
        this.pinned = pinned;
    }

    /** A backend on {@code device}, with its own context and queue. */
    static GpuBackend open(DeviceInfo device) {
        Set<DType> dtypes = supportedDTypes(device);
        ClContext cl = new ClContext(device, new ProgramSources(dtypes, device.fp64(), tile(device)));
        PinnedPool pinned = null;
        try {
            pinned = PinnedPool.forDevice(cl);
            BackendSpec.Builder spec = BackendSpec.builder(NAME, device.toDevice()).dtypes(dtypes);
            DeviceMemory memory = new DeviceMemory(cl, spec.ledger(), pinned);
            return new GpuBackend(spec.memory(ledger -> memory)
                    .kernels(GpuKernels.registry(cl, dtypes))
                    .fusion(new GpuFusion(cl, dtypes))
                    .valueChecks(new DeviceValueChecks(cl, ValueChecks.onHost(memory)))
                    .indexChecks(m -> new DeviceIndexChecks(cl, new HostIndexChecks(m)))
                    .build(), cl, pinned);
        } catch (RuntimeException | Error e) {
            if (pinned != null) {
                pinned.close();
            }
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
        return cl.compiledPrograms();
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

    /** The pinned blocks host copies stage through, for this package's tests. */
    PinnedPool pinnedPool() {
        return pinned;
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        return cl.isClosed();
    }

    /**
     * Releases the idle pinned host blocks, the cached kernels and programs, the command queue and the
     * context. Operations afterwards throw {@code ClosedResourceException}; tensors still open keep their
     * buffers, and host arrays their pinned blocks, until they are closed. Idempotent. Do not close the
     * shared backend of {@code Backends.get("gpu")}.
     */
    @Override
    public void close() {
        pinned.close();
        cl.close();
    }
}
