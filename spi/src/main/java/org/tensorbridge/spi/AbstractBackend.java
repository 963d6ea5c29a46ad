package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import org.tensorbridge.AnyTensor;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendCapabilities;
import org.tensorbridge.CapacityException;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.Device;
import org.tensorbridge.Graph;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;
import org.tensorbridge.UndefinedResultException;
import org.tensorbridge.UnsupportedDTypeException;
import org.tensorbridge.graph.Graphs;
import org.tensorbridge.memory.ElementAccess;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.memory.ScalarCodec;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Guard;
import org.tensorbridge.op.OperandTypes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.op.ValueKind;

/**
 * The one base of a conforming backend: it composes what a {@link BackendSpec} supplies (memory,
 * optional sharing and wrapping, kernels by operation, optional fusion, checks) and implements every
 * {@link Backend} method once — argument validation through each operation's definition, copy policy,
 * access, closed state, reference counting, truthful reports, scopes. A backend extends it only to
 * pass its spec and add what is its own (diagnostics, {@code close()}); every hook it may supply is
 * listed, with its default, in {@link BackendSpec}.
 *
 * <p>{@link #capabilities()} are derived from the spec, never declared: sharing from the presence of
 * {@link HostSharing}, wrapping from {@link HostWrapping}, operations from the kernels (plus views,
 * composites and the fallback), each on the dtypes its definition accepts.
 *
 * <p>While a kernel or transfer runs, the base holds a reference to every operand's memory, so a
 * concurrent {@code close()} never frees memory under it. Thread-safe.
 */
public abstract class AbstractBackend implements Backend {
    private final BackendSpec spec;
    private final OperationStatistics statistics = new OperationStatistics();
    private final OperationRunner operations;
    private final Conversions conversions;
    private final Creation creation;
    private final SparseCreation sparse;
    private final BackendCapabilities capabilities;

    /** A backend made of {@code spec}. */
    protected AbstractBackend(BackendSpec spec) {
        this.spec = spec;
        this.operations = new OperationRunner(this, spec, statistics);
        this.conversions = new Conversions(this, spec);
        this.creation = new Creation(this, spec);
        this.sparse = new SparseCreation(this, spec);
        this.capabilities = deriveCapabilities();
    }

    @Override
    public final String name() {
        return spec.name;
    }

    @Override
    public final Device device() {
        return spec.device;
    }

    @Override
    public final BackendCapabilities capabilities() {
        return capabilities;
    }

    /** Live memory of this backend, host copies included; what leak checks assert on. */
    public final MemoryLedger ledger() {
        return spec.ledger;
    }

    /** What the backend's {@link Memory#heldBytes()} says it holds. */
    @Override
    public final OptionalLong nativeBytesHeld() {
        return spec.memory.heldBytes();
    }

    /** Calls, fallbacks and bytes copied per operation. */
    public final OperationStatistics statistics() {
        return statistics;
    }

    @Override
    public final Tensor fromBuffer(ByteBuffer data, DType dtype, Shape shape, CopyPolicy policy, AutoCloseable owner) {
        return creation.fromBuffer(data, dtype, shape, policy, owner);
    }

    @Override
    public final Tensor fill(DType dtype, Shape shape, Number value) {
        return creation.fill(dtype, shape, value);
    }

    @Override
    public final Tensor apply(Operation operation, Attributes attributes, AnyTensor... inputs) {
        return (Tensor) operations.run(operation, attributes, inputs, ValueKind.DENSE);
    }

    /** Checks the scalar as an argument called {@code scalar} (its range, and the guards) before the operation. */
    @Override
    public final Tensor apply(Operation operation, Tensor a, Number scalar) {
        Objects.requireNonNull(operation, "operation must not be null");
        DType dtype = own(a, "a").dtype();
        ByteBuffer element = ScalarCodec.encode(scalar, dtype, "scalar");
        for (Guard guard : operation.guards()) {
            if (guard.input() == 1 && dtype.isInteger() && guard.condition().holds(ElementAccess.readLong(element,
                    dtype, 0))) {
                throw new UndefinedResultException(operation.name() + "(a, scalar): scalar is " + scalar + " and a is "
                        + dtype.displayName() + "; " + guard.explanation());
            }
        }
        return Backend.super.apply(operation, a, scalar);
    }

    @Override
    public final SparseTensor applySparse(Operation operation, Attributes attributes, AnyTensor... inputs) {
        return (SparseTensor) operations.run(operation, attributes, inputs, ValueKind.SPARSE);
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
    public final Graph newGraph() {
        return spec.graphs != null ? spec.graphs.apply(this) : Graphs.newGraph(this, new RuntimeSupport(this, spec));
    }

    @Override
    public String toString() {
        return "Backend(" + spec.name + " on " + spec.device + ")";
    }

    // ---- for the classes of this package ----

    Conversions conversions() {
        return conversions;
    }

    /** {@code tensor} as a dense tensor of this backend, or an exception naming {@code argument} and the fix. */
    BackendTensor own(AnyTensor tensor, String argument) {
        if (tensor instanceof BackendTensor mine && mine.owner() == this) {
            return mine;
        }
        if (tensor instanceof SparseTensor) {
            throw new IllegalArgumentException(argument + " is a sparse tensor but a dense one is needed here; call "
                    + argument + ".toDense(maxElements) first, or use the sparse form of the operation");
        }
        // The moved tensor owns the host array: the memory stays held, whoever frees it, until the tensor closes.
        throw foreign(tensor, argument, "fromBuffer(host.asByteBuffer(), host.dtype(), host.shape(), "
                + "CopyPolicy.IF_NEEDED, host) where host = " + argument + ".toHost() (the new tensor closes host), or "
                + "CopyPolicy.ALWAYS and host in try-with-resources for an independent copy");
    }

    /** {@code tensor} as a sparse tensor of this backend, or an exception naming {@code argument} and the fix. */
    BackendSparseTensor ownSparse(AnyTensor tensor, String argument) {
        if (tensor instanceof BackendSparseTensor mine && mine.owner() == this) {
            return mine;
        }
        if (tensor instanceof Tensor) {
            throw new IllegalArgumentException(argument + " is a dense tensor but a sparse one is needed here; call "
                    + "toSparse(" + argument + ") first");
        }
        throw foreign(tensor, argument, "sparseCoo(...) from " + argument + ".toSparseValue()");
    }

    private IllegalArgumentException foreign(AnyTensor tensor, String argument, String move) {
        if (tensor == null) {
            throw new NullPointerException(argument + " must not be null");
        }
        String owner = tensor.backend().name().equals(spec.name) ? "another instance of backend '" + spec.name + "'"
                : "backend '" + tensor.backend().name() + "'";
        return new IllegalArgumentException(argument + " is a tensor of " + owner + " but this operation runs on "
                + "backend '" + spec.name + "'; move it with " + spec.name + "." + move);
    }

    void requireSupported(DType dtype, String argument) {
        if (!spec.dtypes.contains(dtype)) {
            throw new UnsupportedDTypeException(argument + " is " + dtype.displayName() + ", which backend " + spec.name
                    + " does not support; it supports " + capabilities.supportedDTypes());
        }
    }

    /**
     * Refuses a result of {@code operation} whose dtype the backend does not hold or whose size passes the
     * memory's largest tensor; the messages are built only when refusing, as this runs on every call.
     */
    void requireResultFits(DType dtype, Shape shape, Operation operation) {
        if (!spec.dtypes.contains(dtype)) {
            requireSupported(dtype, "the result of " + operation);
        }
        if (operation.output() == ValueKind.DENSE
                && shape.elementCount() > spec.memory.maxTensorBytes() / dtype.byteWidth()) {
            byteSize(dtype, shape, "the result of " + operation);
        }
    }

    /** The bytes of a {@code dtype} tensor of {@code shape}, refused past the memory's largest tensor. */
    long byteSize(DType dtype, Shape shape, String argument) {
        spec.memory.requireHoldable(shape, argument);
        long bytes;
        try {
            bytes = Math.multiplyExact(shape.elementCount(), (long) dtype.byteWidth());
        } catch (ArithmeticException e) {
            throw new CapacityException(argument + " " + shape + " of " + dtype.displayName()
                    + " needs more than Long.MAX_VALUE bytes; use a smaller shape");
        }
        long max = spec.memory.maxTensorBytes();
        if (bytes > max) {
            throw new CapacityException(argument + " " + shape + " of " + dtype.displayName() + " needs " + bytes
                    + " bytes, but backend " + spec.name + " holds at most " + max + " bytes per tensor; split the "
                    + "data into smaller tensors");
        }
        return bytes;
    }

    /** A kernel's result memory (a storage or sparse parts) as a tensor of this backend, taking it over. */
    AnyTensor wrap(Object result, DType dtype, Shape shape) {
        if (result instanceof SparseParts parts) {
            return new BackendSparseTensor(this, parts.indices(), parts.values(), dtype, shape, parts.nnz(),
                    parts.canonical());
        }
        return new BackendTensor(this, (Storage) result, dtype, shape);
    }

    private BackendCapabilities deriveCapabilities() {
        BackendCapabilities.Builder builder = BackendCapabilities.builder()
                .sharesHostMemory(spec.sharing != null)
                .sharesWritable(spec.sharing != null && spec.sharing.writable())
                .wrapsHostBuffers(spec.wrapping != null)
                .maxTensorBytes(spec.memory.maxTensorBytes())
                .supportedDTypes(spec.dtypes);
        Set<Operation> candidates = new LinkedHashSet<>(Operations.all());
        candidates.addAll(spec.kernels.operations().keySet());
        if (spec.hostFallback != null) {
            candidates.addAll(spec.hostFallback.operations().keySet());
        }
        for (Operation operation : candidates) {
            Set<DType> dtypes = EnumSet.noneOf(DType.class);
            for (DType dtype : spec.dtypes) {
                if (operations.supports(operation, dtype) && definedOn(operation, dtype)) {
                    dtypes.add(dtype);
                }
            }
            builder.operation(operation, dtypes);
        }
        return builder.build();
    }

    /** True unless the operation's dtype rule refuses inputs of {@code dtype}. */
    private static boolean definedOn(Operation operation, DType dtype) {
        List<DType> dtypes = java.util.Collections.nCopies(operation.arity(), dtype);
        List<long[]> dims = java.util.Collections.nCopies(operation.arity(), new long[0]);
        try {
            operation.resultDType(new OperandTypes(operation, Attributes.NONE, dtypes, dims));
            return true;
        } catch (DTypeMismatchException e) {
            return false;
        } catch (RuntimeException e) {
            return true; // the rule needs attributes to decide; the kernel's dtypes stand
        }
    }
}
