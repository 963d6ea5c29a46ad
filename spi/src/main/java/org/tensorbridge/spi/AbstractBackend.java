package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendCapabilities;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.Device;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.Sharing;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;

/**
 * The base of a conforming backend. It implements every {@link Backend} method once — argument
 * validation, dtype and shape rules, copy policy, access, closed-state checks, reference counting
 * and result construction — and leaves a backend only these operations:
 * <ul>
 *   <li>{@link #allocate}, {@link #upload}, {@link #download}: memory and transfers;</li>
 *   <li>{@link #shareWithHost} and {@link #wrapHostBuffer}: zero-copy paths, used only when the
 *       declared {@link BackendCapabilities} allow them;</li>
 *   <li>{@link #fill}, {@link #elementwise}, {@link #matmul}, {@link #cast}: kernels, which receive
 *       validated operands and a freshly allocated result and run only on non-empty results.</li>
 * </ul>
 * While a kernel or transfer runs, the base holds a reference to every operand's storage, so a
 * concurrent {@code close()} never frees memory under it.
 *
 * <p>Subclasses must be thread-safe; the base class is.
 */
public abstract class AbstractBackend implements Backend {
    private final String name;
    private final Device device;
    private final BackendCapabilities capabilities;
    private final MemoryLedger ledger;
    private final SparseSupport sparse = new SparseSupport(this);

    /**
     * @param name the name the provider registers, for example {@code cpu}
     * @param device where tensors live
     * @param capabilities what the backend declares; the conformance kit checks it
     */
    protected AbstractBackend(String name, Device device, BackendCapabilities capabilities) {
        this.name = Objects.requireNonNull(name, "name");
        this.device = Objects.requireNonNull(device, "device");
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
        this.ledger = new MemoryLedger("backend " + name);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Device device() {
        return device;
    }

    @Override
    public final BackendCapabilities capabilities() {
        return capabilities;
    }

    /** Live memory of this backend, host copies included; what leak checks assert on. */
    public final MemoryLedger ledger() {
        return ledger;
    }

    // =====================================================================================
    // The operations a backend implements.
    // =====================================================================================

    /** New memory of {@code byteSize} bytes with one reference, contents unspecified. */
    protected abstract Storage allocate(long byteSize);

    /**
     * Memory for a result that its kernel overwrites completely before anyone reads it (elementwise,
     * fused and cast results), so it may be uninitialised or reused memory. The default is
     * {@link #allocate}; a host-memory backend may return {@link HostStorage#allocateForCopy} blocks.
     */
    protected Storage allocateForOverwrite(long byteSize) {
        return allocate(byteSize);
    }

    /** Copies {@code source}'s remaining bytes (native order) to the start of {@code target}. */
    protected abstract void upload(ByteBuffer source, Storage target);

    /**
     * Copies the first {@code target.remaining()} bytes of {@code source} into {@code target}, all of
     * them, before returning; {@code target} must not be kept or used afterwards, since its memory
     * may be reused for another copy once the host array over it is closed.
     */
    protected abstract void download(Storage source, ByteBuffer target);

    /**
     * Host memory that aliases {@code storage}, with a reference taken for the caller, or
     * {@code null} if it cannot be shared. Called only when the capabilities declare sharing.
     * The default shares storage that is already {@link HostStorage}.
     */
    protected HostStorage shareWithHost(Storage storage) {
        if (storage instanceof HostStorage host) {
            host.retain();
            return host;
        }
        return null;
    }

    /**
     * Backend storage that aliases a caller's buffer, taking over {@code buffer}'s reference.
     * Called only when the capabilities declare {@link BackendCapabilities#wrapsHostBuffers()}.
     */
    protected Storage wrapHostBuffer(HostStorage buffer) {
        buffer.release();
        throw new UnsupportedOperationException("backend " + name + " declares wrapsHostBuffers but does not "
                + "override wrapHostBuffer");
    }

    /** Sets every element of {@code target} to {@code element} (one element, native order). */
    protected abstract void fill(Operand target, ByteBuffer element);

    /** {@code result = a op b} with NumPy broadcasting; all three have one dtype. */
    protected abstract void elementwise(BinaryOp op, Operand a, Operand b, Operand result);

    /** {@code result = a x b} for {@code [m, k] x [k, n]} with {@code k > 0}. */
    protected abstract void matmul(Operand a, Operand b, Operand result);

    /** {@code result = source} converted to {@code result}'s dtype; same shape. */
    protected abstract void cast(Operand source, Operand result);

    /**
     * The largest tensor this backend holds, in bytes; bigger shapes are refused with a message naming
     * the shape. The default is the size of one {@link HostStorage} block.
     */
    protected long maxTensorBytes() {
        return Integer.MAX_VALUE;
    }

    /**
     * True if an integer operand holds a zero; guards integer division, which is undefined (and
     * can kill the process) on zero. The default reads the operand on the host; a device backend
     * may override it with a kernel.
     */
    protected boolean containsZero(Operand operand) {
        try (HostArray host = hostArray(operand, CopyPolicy.IF_NEEDED, Access.READ_ONLY)) {
            ByteBuffer bytes = host.asByteBuffer();
            int width = operand.dtype().byteWidth();
            for (int at = 0; at < bytes.limit(); at += width) {
                boolean zero = switch (width) {
                    case 1 -> bytes.get(at) == 0;
                    case 2 -> bytes.getShort(at) == 0;
                    case 4 -> bytes.getInt(at) == 0;
                    default -> bytes.getLong(at) == 0;
                };
                if (zero) {
                    return true;
                }
            }
            return false;
        }
    }


    /**
     * Computes a chain of elementwise operations on floating-point operands of the result's shape and
     * dtype (no broadcasting). The default runs the chain one {@link #elementwise} pass per operation;
     * a backend may override it to generate one kernel that reads each input once and writes the
     * result once.
     */
    protected void fusedElementwise(FusedExpression expression, List<Operand> inputs, Operand result) {
        stepByStep(expression, inputs, result);
    }

    private void stepByStep(FusedExpression expression, List<Operand> inputs, Operand result) {
        if (!(expression instanceof FusedExpression.Apply apply)) {
            throw new IllegalArgumentException("expression " + expression.signature() + " has no operation to run");
        }
        List<Storage> temporaries = new java.util.ArrayList<>();
        try {
            Operand left = operand(apply.left(), inputs, result, temporaries);
            Operand right = operand(apply.right(), inputs, result, temporaries);
            elementwise(apply.op(), left, right, result);
        } finally {
            temporaries.forEach(Storage::release);
        }
    }

    private Operand operand(FusedExpression expression, List<Operand> inputs, Operand result, List<Storage> temporaries) {
        if (expression instanceof FusedExpression.Input input) {
            return inputs.get(input.index());
        }
        if (expression instanceof FusedExpression.Scalar scalar) {
            Operand element = new Operand(allocate(result.dtype().byteWidth()), result.dtype(), Shape.scalar());
            temporaries.add(element.storage());
            fill(element, scalar.element().duplicate().order(java.nio.ByteOrder.nativeOrder()));
            return element;
        }
        Operand partial = new Operand(allocate(result.byteSize()), result.dtype(), result.shape());
        temporaries.add(partial.storage());
        stepByStep(expression, inputs, partial);
        return partial;
    }

    /** Runs {@link #fusedElementwise} on tensors of this backend, for graph runs. */
    final Tensor fused(FusedExpression expression, List<BackendTensor> tensors, DType dtype, Shape shape) {
        List<Operand> inputs = new java.util.ArrayList<>();
        try {
            for (BackendTensor tensor : tensors) {
                inputs.add(tensor.pin("a fused input"));
            }
            return computeOverwriting(dtype, shape, result -> fusedElementwise(expression, inputs, result));
        } finally {
            inputs.forEach(operand -> operand.storage().release());
        }
    }

    // ---- sparse kernels: host defaults, for backends whose storage is HostStorage ----

    /** Allocates zeroed host memory for sparse results; fails for a backend whose memory is not on the host. */
    private HostSparseKernels.Allocator hostAllocator() {
        return bytes -> {
            Storage storage = allocate(bytes);
            if (storage instanceof HostStorage host) {
                return host;
            }
            storage.release();
            throw new UnsupportedOperationException("backend " + name + " keeps memory off the host, so it must override "
                    + "the sparse operations of AbstractBackend with its own kernels");
        };
    }

    /**
     * The first index of {@code indices} ({@code int64 [nnz, rank]}) outside {@code denseShape}, as a
     * message naming its position and value ({@link HostSparseKernels#firstInvalidIndex} words it),
     * or null. The default reads the indices on the host (a copy for device memory); a device backend
     * may override it with a kernel.
     */
    protected String firstInvalidIndex(Operand indices, Shape denseShape) {
        try (BufferHostArray host = hostArray(indices, CopyPolicy.IF_NEEDED, Access.READ_ONLY)) {
            // Read within this call, while the array holds the memory: the copy's block stays reusable.
            return HostSparseKernels.firstInvalidIndex(host.storage().transientBuffer(), indices.shape().dim(0),
                    denseShape);
        }
    }

    /**
     * True if {@code indices} are strictly increasing in row-major order. The default reads them on the
     * host (a copy for device memory); a device backend may override it with a kernel.
     */
    protected boolean isCanonical(Operand indices, Shape denseShape) {
        try (BufferHostArray host = hostArray(indices, CopyPolicy.IF_NEEDED, Access.READ_ONLY)) {
            // Read within this call, while the array holds the memory: the copy's block stays reusable.
            return HostSparseKernels.isCanonical(host.storage().transientBuffer(), indices.shape().dim(0),
                    denseShape);
        }
    }

    /**
     * Writes the COO indices of a CSR matrix ({@code int64 [nnz, 2]}: row, column) into {@code coo},
     * after checking the parts in this order: {@code indptr} ({@code int64 [rows + 1]}) must start at
     * 0, never decrease and end at nnz, else {@link IllegalArgumentException}; every column of
     * {@code columns} ({@code int64 [nnz]}) must be in {@code [0, columnCount)}, else
     * {@link IndexOutOfBoundsException} — each naming the first offending entry in
     * {@link CsrMessages}' words. Nothing is written when a check fails. The default reads both parts
     * on the host (a copy for device memory) and uploads the result; a device backend may override it
     * with kernels.
     */
    protected void csrToCoo(Operand indptr, Operand columns, long columnCount, Operand coo) {
        long rows = indptr.shape().dim(0) - 1;
        long nnz = columns.shape().dim(0);
        ByteBuffer expanded = ByteBuffer.allocateDirect(Math.toIntExact(nnz * 2 * Long.BYTES))
                .order(java.nio.ByteOrder.nativeOrder());
        try (HostArray p = hostArray(indptr, CopyPolicy.IF_NEEDED, Access.READ_ONLY);
                HostArray c = hostArray(columns, CopyPolicy.IF_NEEDED, Access.READ_ONLY)) {
            long previous = 0;
            for (long r = 0; r <= rows; r++) {
                long at = p.getLong(r);
                if ((r == 0 && at != 0) || at < previous || at > nnz || (r == rows && at != nnz)) {
                    throw new IllegalArgumentException(CsrMessages.badIndptr(r, at, previous, nnz));
                }
                for (long i = previous; i < at; i++) {
                    expanded.putLong((int) (2 * i * Long.BYTES), r - 1);
                }
                previous = at;
            }
            for (int i = 0; i < nnz; i++) {
                long column = c.getLong(i);
                if (column < 0 || column >= columnCount) {
                    throw new IndexOutOfBoundsException(CsrMessages.badColumn(i, column, columnCount));
                }
                expanded.putLong((2 * i + 1) * Long.BYTES, column);
            }
        }
        if (nnz > 0) {
            upload(expanded, coo.storage());
        }
    }

    /** Sorted, duplicates summed. The default runs on host memory. */
    protected SparseParts coalesce(SparseOperand a) {
        return HostSparseKernels.coalesce(a, hostAllocator());
    }

    /** Sparse {@code a + b}, sorted, duplicates summed. The default runs on host memory. */
    protected SparseParts add(SparseOperand a, SparseOperand b) {
        return HostSparseKernels.add(a, b, hostAllocator());
    }

    /** Rank-2 transpose, sorted. The default runs on host memory. */
    protected SparseParts transpose(SparseOperand a) {
        return HostSparseKernels.transpose(a, hostAllocator());
    }

    /** The non-zero elements of {@code dense}, canonical. The default runs on host memory. */
    protected SparseParts toSparse(Operand dense) {
        return HostSparseKernels.fromDense(dense, hostAllocator());
    }

    /** Dense {@code result = a x b}, linear in nnz x columns. The default runs on host memory. */
    protected void matmul(SparseOperand a, Operand b, Operand result) {
        HostSparseKernels.matmul(a, b, result);
    }

    /** Dense sum along {@code axis}. The default runs on host memory. */
    protected void sum(SparseOperand a, int axis, Operand result) {
        HostSparseKernels.sum(a, axis, result);
    }

    /** Dense form, duplicates summed. The default runs on host memory. */
    protected void toDense(SparseOperand a, Operand result) {
        HostSparseKernels.toDense(a, result);
    }

    // =====================================================================================
    // Conversion to host arrays.
    // =====================================================================================

    final HostArray toHost(BackendTensor tensor, CopyPolicy policy, Access access) {
        Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
        Objects.requireNonNull(access, "access must not be null; use Access.READ_ONLY for the default");
        Operand operand = tensor.pin("this tensor");
        try {
            return hostArray(operand, policy, access);
        } finally {
            operand.storage().release();
        }
    }

    BufferHostArray hostArray(Operand operand, CopyPolicy policy, Access access) {
        boolean writable = access == Access.WRITABLE;
        if (policy != CopyPolicy.ALWAYS) {
            HostStorage shared = capabilities.sharesHostMemory() ? shareWithHost(operand.storage()) : null;
            String refusal = shareRefusal(shared, writable);
            if (refusal == null) {
                return new BufferHostArray(shared, operand.dtype(), operand.shape(), device, Sharing.SHARED, 0, !writable);
            }
            if (shared != null) {
                shared.release();
            }
            if (policy == CopyPolicy.NEVER) {
                throw new CopyRequiredException("a " + operand.dtype().displayName() + operand.shape() + " tensor on "
                        + device + " cannot be shared " + (writable ? "writable " : "") + "under CopyPolicy.NEVER: "
                        + refusal);
            }
        }
        long bytes = operand.byteSize();
        // download() overwrites every byte and keeps no buffer: the block may come from the pool.
        HostStorage copy = HostStorage.allocateForCopy(bytes, ledger);
        try {
            download(operand.storage(), copy.transientBuffer().limit((int) bytes));
        } catch (RuntimeException | Error e) {
            copy.release();
            throw e;
        }
        return new BufferHostArray(copy, operand.dtype(), operand.shape(), device, Sharing.INDEPENDENT, bytes, !writable);
    }

    /**
     * A writable, independent host array of a tensor the caller owns and will close: the memory is
     * handed over whole when no one else can see it (host memory this backend allocated, held by this
     * tensor alone), and copied otherwise. For session results.
     */
    final BufferHostArray handOver(BackendTensor tensor) {
        return handOver(tensor.pin("result"));
    }

    /** {@link #handOver(BackendTensor)} for a sparse tensor: each of its two arrays handed over or copied. */
    final SparseValue handOver(BackendSparseTensor tensor) {
        SparseOperand operand = tensor.pin("result");
        BufferHostArray indices;
        try {
            indices = handOver(operand.indices());
        } catch (RuntimeException | Error e) {
            operand.values().storage().release();
            throw e;
        }
        BufferHostArray values;
        try {
            values = handOver(operand.values());
        } catch (RuntimeException | Error e) {
            indices.close();
            throw e;
        }
        return new HostSparseValue(indices, indices.storage(), values, values.storage(), operand.denseShape(),
                operand.canonical(), device, ledger);
    }

    /** {@link #handOver(BackendTensor)} for one pinned operand; takes over the pin's reference. */
    final BufferHostArray handOver(Operand operand) {
        Storage storage = operand.storage();
        // Two references: the owner's and the pin's. More means a view or a host array shares it.
        if (capabilities.sharesHostMemory() && storage instanceof HostStorage host && !host.isWrapped()
                && !host.isReadOnly() && storage.referenceCount() == 2) {
            return new BufferHostArray(host, operand.dtype(), operand.shape(), device, Sharing.INDEPENDENT, 0, false);
        }
        try {
            return hostArray(operand, CopyPolicy.ALWAYS, Access.WRITABLE);
        } finally {
            storage.release();
        }
    }

    private String shareRefusal(HostStorage shared, boolean writable) {
        if (!device.hostAccessible()) {
            return "its memory is on the device, which the host cannot address. Use CopyPolicy.IF_NEEDED or "
                    + "CopyPolicy.ALWAYS to copy it to the host";
        }
        if (shared == null) {
            return "backend " + name + " cannot share this memory with the host. Use CopyPolicy.IF_NEEDED or "
                    + "CopyPolicy.ALWAYS to copy it";
        }
        if (writable && !capabilities.sharesWritable()) {
            return "backend " + name + " shares read-only only. Ask for Access.READ_ONLY to share, or use "
                    + "CopyPolicy.IF_NEEDED for a writable copy";
        }
        if (writable && shared.isReadOnly()) {
            return "the tensor wraps a read-only buffer. Ask for Access.READ_ONLY to share, or use "
                    + "CopyPolicy.IF_NEEDED for a writable copy";
        }
        return null;
    }

    // =====================================================================================
    // Creation.
    // =====================================================================================

    @Override
    public final Tensor fromBuffer(ByteBuffer data, DType dtype, Shape shape, CopyPolicy policy, AutoCloseable owner) {
        boolean ownerTaken = false;
        try {
            Tensor tensor = createFromBuffer(data, dtype, shape, policy, owner);
            ownerTaken = owner != null && tensor instanceof BackendTensor t && t.wrapsForeignMemory();
            return tensor;
        } finally {
            if (owner != null && !ownerTaken) {
                HostStorage.closeOwner(owner);
            }
        }
    }

    private Tensor createFromBuffer(ByteBuffer data, DType dtype, Shape shape, CopyPolicy policy, AutoCloseable owner) {
        Objects.requireNonNull(data, "data must not be null");
        Objects.requireNonNull(dtype, "dtype must not be null");
        Objects.requireNonNull(shape, "shape must not be null; use Shape.scalar() for rank 0");
        Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
        requireSupported(dtype, "dtype");
        long bytes = byteSize(dtype, shape, "shape");
        if (data.remaining() != bytes) {
            throw new ShapeMismatchException("data has " + data.remaining() + " bytes remaining but a "
                    + dtype.displayName() + shape + " tensor needs " + bytes + "; set the buffer's position and limit "
                    + "around exactly the elements, or fix dtype/shape");
        }
        if (policy != CopyPolicy.ALWAYS) {
            String refusal = wrapRefusal(data);
            if (refusal == null) {
                Storage wrapped = wrapHostBuffer(HostStorage.wrap(data, ledger, owner));
                return new BackendTensor(this, wrapped, dtype, shape);
            }
            if (policy == CopyPolicy.NEVER) {
                throw new CopyRequiredException("data cannot become a tensor on " + device
                        + " without a copy under CopyPolicy.NEVER: " + refusal
                        + ". Use CopyPolicy.IF_NEEDED to let it copy");
            }
        }
        Storage storage = allocate(bytes);
        try {
            upload(nativeOrder(data, dtype), storage);
        } catch (RuntimeException | Error e) {
            storage.release();
            throw e;
        }
        return new BackendTensor(this, storage, dtype, shape);
    }

    private String wrapRefusal(ByteBuffer data) {
        if (!capabilities.wrapsHostBuffers()) {
            return "backend " + name + " does not wrap host buffers";
        }
        if (!data.isDirect()) {
            return "data is a heap buffer; allocate it with ByteBuffer.allocateDirect";
        }
        if (data.order() != ByteOrder.nativeOrder()) {
            return "data is " + data.order() + " but the platform is " + ByteOrder.nativeOrder()
                    + "; call data.order(ByteOrder.nativeOrder()) if the bytes are native-order";
        }
        return null;
    }

    /** The elements of {@code data} in native byte order: the buffer itself, or a swapped copy. */
    private static ByteBuffer nativeOrder(ByteBuffer data, DType dtype) {
        ByteBuffer source = data.slice().order(data.order());
        if (data.order() == ByteOrder.nativeOrder() || dtype.byteWidth() == 1) {
            return source;
        }
        ByteBuffer swapped = ByteBuffer.allocateDirect(source.remaining()).order(ByteOrder.nativeOrder());
        switch (dtype.byteWidth()) {
            case 2 -> swapped.asShortBuffer().put(source.asShortBuffer());
            case 4 -> swapped.asIntBuffer().put(source.asIntBuffer());
            default -> swapped.asLongBuffer().put(source.asLongBuffer());
        }
        return swapped;
    }

    @Override
    public final Tensor zeros(DType dtype, Shape shape) {
        return fill(dtype, shape, 0);
    }

    @Override
    public final Tensor ones(DType dtype, Shape shape) {
        return fill(dtype, shape, 1);
    }

    @Override
    public final Tensor fill(DType dtype, Shape shape, Number value) {
        Objects.requireNonNull(dtype, "dtype must not be null");
        Objects.requireNonNull(shape, "shape must not be null; use Shape.scalar() for rank 0");
        requireSupported(dtype, "dtype");
        ByteBuffer element = ScalarCodec.encode(value, dtype, "value");
        Storage storage = allocate(byteSize(dtype, shape, "shape"));
        try {
            if (shape.elementCount() > 0) {
                fill(new Operand(storage, dtype, shape), element);
            }
        } catch (RuntimeException | Error e) {
            storage.release();
            throw e;
        }
        return new BackendTensor(this, storage, dtype, shape);
    }

    // =====================================================================================
    // Operations.
    // =====================================================================================

    @Override
    public final Tensor add(Tensor a, Tensor b) {
        return binary(BinaryOp.ADD, a, b);
    }

    @Override
    public final Tensor add(Tensor a, Number scalar) {
        return binaryScalar(BinaryOp.ADD, a, scalar);
    }

    @Override
    public final Tensor subtract(Tensor a, Tensor b) {
        return binary(BinaryOp.SUBTRACT, a, b);
    }

    @Override
    public final Tensor subtract(Tensor a, Number scalar) {
        return binaryScalar(BinaryOp.SUBTRACT, a, scalar);
    }

    @Override
    public final Tensor multiply(Tensor a, Tensor b) {
        return binary(BinaryOp.MULTIPLY, a, b);
    }

    @Override
    public final Tensor multiply(Tensor a, Number scalar) {
        return binaryScalar(BinaryOp.MULTIPLY, a, scalar);
    }

    @Override
    public final Tensor divide(Tensor a, Tensor b) {
        return binary(BinaryOp.DIVIDE, a, b);
    }

    @Override
    public final Tensor divide(Tensor a, Number scalar) {
        return binaryScalar(BinaryOp.DIVIDE, a, scalar);
    }

    private Tensor binaryScalar(BinaryOp op, Tensor a, Number scalar) {
        BackendTensor x = own(a, "a");
        ByteBuffer encoded = ScalarCodec.encode(scalar, x.dtype(), "scalar");
        if (op == BinaryOp.DIVIDE && x.dtype().isInteger() && isZero(encoded)) {
            throw new ArithmeticException("divide(a, scalar): scalar is 0 and a is " + x.dtype().displayName()
                    + "; integer division by zero is undefined. Divide by another value, or cast a to a floating dtype "
                    + "for IEEE infinities");
        }
        try (Tensor s = fill(x.dtype(), Shape.scalar(), scalar)) {
            return binary(op, x, s);
        }
    }

    private static boolean isZero(ByteBuffer element) {
        for (int i = 0; i < element.remaining(); i++) {
            if (element.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        BackendTensor x = own(a, "a");
        BackendTensor y = own(b, "b");
        requireArithmetic(op.operationName(), x, y);
        Shape shape;
        try {
            shape = Shape.broadcast(x.shape(), y.shape());
        } catch (ShapeMismatchException e) {
            throw new ShapeMismatchException(op.operationName() + "(a, b): " + e.getMessage(), e);
        }
        Operand left = x.pin("a");
        try {
            Operand right = y.pin("b");
            try {
                if (op == BinaryOp.DIVIDE && x.dtype().isInteger() && right.shape().elementCount() > 0
                        && shape.elementCount() > 0 && containsZero(right)) {
                    throw new ArithmeticException("divide(a, b): b holds a zero and a and b are "
                            + x.dtype().displayName() + "; integer division by zero is undefined. Remove the zeros, or "
                            + "cast both to a floating dtype for IEEE infinities");
                }
                return computeOverwriting(x.dtype(), shape, result -> elementwise(op, left, right, result));
            } finally {
                right.storage().release();
            }
        } finally {
            left.storage().release();
        }
    }

    @Override
    public final Tensor matmul(Tensor a, Tensor b) {
        BackendTensor x = own(a, "a");
        BackendTensor y = own(b, "b");
        requireArithmetic("matmul", x, y);
        if (x.shape().rank() != 2 || y.shape().rank() != 2) {
            throw new ShapeMismatchException("matmul(a, b) needs rank-2 tensors but a is " + x.shape() + " and b is "
                    + y.shape() + "; reshape them to [m, k] and [k, n]");
        }
        if (x.shape().dim(1) != y.shape().dim(0)) {
            throw new ShapeMismatchException("matmul(a, b): a is " + x.shape() + " and b is " + y.shape()
                    + "; a's columns (" + x.shape().dim(1) + ") must equal b's rows (" + y.shape().dim(0) + ")");
        }
        Shape shape = Shape.of(x.shape().dim(0), y.shape().dim(1));
        Operand left = x.pin("a");
        try {
            Operand right = y.pin("b");
            try {
                if (x.shape().dim(1) == 0) {
                    return fill(x.dtype(), shape, 0);
                }
                return compute(x.dtype(), shape, result -> matmul(left, right, result));
            } finally {
                right.storage().release();
            }
        } finally {
            left.storage().release();
        }
    }

    @Override
    public final Tensor reshape(Tensor a, long... dims) {
        BackendTensor x = own(a, "a");
        Shape shape = inferShape(x.shape(), dims);
        Operand operand = x.pin("a");
        // The pin's reference becomes the view's own.
        return new BackendTensor(this, operand.storage(), x.dtype(), shape);
    }

    @Override
    public final Tensor cast(Tensor a, DType dtype) {
        BackendTensor x = own(a, "a");
        Objects.requireNonNull(dtype, "dtype must not be null");
        requireSupported(dtype, "dtype");
        Operand source = x.pin("a");
        try {
            return computeOverwriting(dtype, x.shape(), result -> cast(source, result));
        } finally {
            source.storage().release();
        }
    }


    // =====================================================================================
    // Sparse tensors.
    // =====================================================================================

    @Override
    public final Graph newGraph() {
        return new SpiGraph(this);
    }

    @Override
    public final SparseTensor sparseCoo(Tensor indices, Tensor values, Shape denseShape) {
        return sparse.coo(indices, values, denseShape);
    }

    @Override
    public final SparseTensor sparseCsr(Tensor indptr, Tensor columns, Tensor values, Shape denseShape) {
        return sparse.csr(indptr, columns, values, denseShape);
    }

    @Override
    public final SparseTensor toSparse(Tensor dense) {
        return sparse.fromDense(dense);
    }

    @Override
    public final Tensor toDense(SparseTensor a, long maxElements) {
        return sparse.toDense(a, maxElements);
    }

    @Override
    public final SparseTensor coalesce(SparseTensor a) {
        return sparse.coalesce(a);
    }

    @Override
    public final Tensor matmul(SparseTensor a, Tensor b) {
        return sparse.matmul(a, b);
    }

    @Override
    public final SparseTensor add(SparseTensor a, SparseTensor b) {
        return sparse.add(a, b);
    }

    @Override
    public final SparseTensor multiply(SparseTensor a, Number scalar) {
        return sparse.multiply(a, scalar);
    }

    @Override
    public final SparseTensor transpose(SparseTensor a) {
        return sparse.transpose(a);
    }

    @Override
    public final Tensor sum(SparseTensor a, int axis) {
        return sparse.sum(a, axis);
    }

    final SparseValue toSparseValue(BackendSparseTensor tensor, CopyPolicy policy, Access access) {
        return sparse.toSparseValue(tensor, policy, access);
    }

    // =====================================================================================
    // Shared rules.
    // =====================================================================================

    interface Kernel {
        void run(Operand result);
    }

    Tensor compute(DType dtype, Shape shape, Kernel kernel) {
        return compute(dtype, shape, kernel, false);
    }

    /** {@link #compute(DType, Shape, Kernel)} for a kernel that writes every element of its result. */
    Tensor computeOverwriting(DType dtype, Shape shape, Kernel kernel) {
        return compute(dtype, shape, kernel, true);
    }

    private Tensor compute(DType dtype, Shape shape, Kernel kernel, boolean overwrites) {
        long bytes = byteSize(dtype, shape, "result shape");
        Storage storage = overwrites ? allocateForOverwrite(bytes) : allocate(bytes);
        try {
            if (shape.elementCount() > 0) {
                kernel.run(new Operand(storage, dtype, shape));
            }
        } catch (RuntimeException | Error e) {
            storage.release();
            throw e;
        }
        return new BackendTensor(this, storage, dtype, shape);
    }

    BackendTensor own(Tensor tensor, String argument) {
        if (tensor == null) {
            throw new NullPointerException(argument + " must not be null");
        }
        if (tensor instanceof BackendTensor mine && mine.owner() == this) {
            return mine;
        }
        String owner = tensor.backend().name().equals(name) ? "another instance of backend '" + name + "'"
                : "backend '" + tensor.backend().name() + "'";
        throw new IllegalArgumentException(argument + " is a tensor of " + owner
                + " but this operation runs on backend '" + name + "'; move it with " + name
                + ".fromBuffer(" + argument + ".toHost().asByteBuffer(), " + argument + ".dtype(), " + argument
                + ".shape())");
    }

    private void requireArithmetic(String operation, BackendTensor a, BackendTensor b) {
        if (!a.dtype().isNumeric()) {
            throw new DTypeMismatchException(operation + "(a, b): a is bool, on which arithmetic is not defined; "
                    + "cast it to int32 or float32 first");
        }
        if (a.dtype() != b.dtype()) {
            throw new DTypeMismatchException(operation + "(a, b): a is " + a.dtype().displayName() + " but b is "
                    + b.dtype().displayName() + "; cast one of them, for example b.cast(DType." + a.dtype().name() + ")");
        }
    }

    void requireSupported(DType dtype, String argument) {
        if (!capabilities.supports(dtype)) {
            throw new UnsupportedDTypeException(argument + " is " + dtype.displayName() + ", which backend " + name
                    + " does not support; it supports " + capabilities.supportedDTypes());
        }
    }

    long byteSize(DType dtype, Shape shape, String argument) {
        long bytes;
        try {
            bytes = Math.multiplyExact(shape.elementCount(), (long) dtype.byteWidth());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(argument + " " + shape + " of " + dtype.displayName()
                    + " needs more than Long.MAX_VALUE bytes; use a smaller shape", e);
        }
        if (bytes > maxTensorBytes()) {
            throw new IllegalArgumentException(argument + " " + shape + " of " + dtype.displayName() + " needs " + bytes
                    + " bytes, but backend " + name + " holds at most " + maxTensorBytes()
                    + " bytes per tensor; split the data into smaller tensors");
        }
        return bytes;
    }

    private static Shape inferShape(Shape from, long[] dims) {
        if (dims == null) {
            throw new NullPointerException("dims must not be null; pass no dims for a scalar");
        }
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (inferred >= 0) {
                    throw new ShapeMismatchException("dims " + Arrays.toString(dims) + " has more than one -1; "
                            + "at most one dimension can be inferred");
                }
                inferred = i;
            } else if (dims[i] < 0) {
                throw new IllegalArgumentException("dims[" + i + "] is " + dims[i] + " in " + Arrays.toString(dims)
                        + "; dimensions must be 0 or more, or -1 to infer one");
            } else {
                known = known * dims[i];
            }
        }
        long[] resolved = dims.clone();
        if (inferred >= 0) {
            if (known == 0 || from.elementCount() % known != 0) {
                throw new ShapeMismatchException("cannot reshape " + from + " to " + Arrays.toString(dims) + ": "
                        + from.elementCount() + " elements do not divide into the known dimensions' product " + known);
            }
            resolved[inferred] = from.elementCount() / known;
        }
        Shape shape = Shape.of(resolved);
        if (shape.elementCount() != from.elementCount()) {
            throw new ShapeMismatchException("cannot reshape " + from + " (" + from.elementCount() + " elements) to "
                    + shape + " (" + shape.elementCount() + " elements); the element count must stay the same");
        }
        return shape;
    }

    @Override
    public String toString() {
        return "Backend(" + name + " on " + device + ")";
    }
}
