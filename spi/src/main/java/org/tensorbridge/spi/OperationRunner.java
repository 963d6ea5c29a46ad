package org.tensorbridge.spi;

import java.util.Arrays;
import java.util.Objects;
import org.tensorbridge.AnyTensor;
import org.tensorbridge.CapacityException;
import org.tensorbridge.DType;
import org.tensorbridge.OperationUnsupportedException;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.UndefinedResultException;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Guard;
import org.tensorbridge.op.OperandTypes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.ValueKind;

/**
 * {@code apply} for every backend built on the spi: checks the inputs against the operation's
 * definition (kinds, owner, dtype rule, shape function), then runs the view, the backend's kernel, a
 * composite of other kernels, or the opted-in host fallback, in that order, and refuses anything else
 * with {@link OperationUnsupportedException}. Inputs stay pinned while kernels run; guards run first.
 * Thread-safe.
 */
final class OperationRunner {
    private final AbstractBackend backend;
    private final BackendSpec spec;
    private final OperationStatistics statistics;
    private final Composites composites;
    private final HostFallback fallback;

    OperationRunner(AbstractBackend backend, BackendSpec spec, OperationStatistics statistics) {
        this.backend = backend;
        this.spec = spec;
        this.statistics = statistics;
        this.composites = new Composites(backend, spec.kernels);
        this.fallback = spec.hostFallback == null ? null : new HostFallback(backend, spec, spec.hostFallback);
    }

    /** True if {@code operation} runs on inputs of {@code dtype} here, by any of the four ways. */
    boolean supports(Operation operation, DType dtype) {
        return operation.isView() || spec.kernels.find(operation, dtype) != null || composites.covers(operation, dtype)
                || (fallback != null && fallback.covers(operation, dtype));
    }

    AnyTensor run(Operation operation, Attributes attributes, AnyTensor[] inputs, ValueKind expected) {
        Objects.requireNonNull(operation, "operation must not be null");
        Objects.requireNonNull(attributes, "attributes must not be null; use Attributes.NONE");
        Objects.requireNonNull(inputs, "inputs must not be null");
        if (operation.output() != expected) {
            throw new IllegalArgumentException(operation + " gives a " + operation.output().name().toLowerCase()
                    + " result; call " + (operation.output() == ValueKind.SPARSE ? "applySparse" : "apply"));
        }
        if (inputs.length != operation.arity()) {
            throw new IllegalArgumentException(operation + " takes " + operation.arity() + " inputs "
                    + operation.inputNames() + " but got " + inputs.length);
        }
        Object[] owned = new Object[inputs.length];
        DType[] dtypes = new DType[inputs.length];
        long[][] dims = new long[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            String argument = operation.inputNames().get(i);
            if (operation.inputKinds().get(i) == ValueKind.SPARSE) {
                BackendSparseTensor sparse = backend.ownSparse(inputs[i], argument);
                sparse.requireOpen(argument);
                owned[i] = sparse;
                dtypes[i] = sparse.dtype();
                dims[i] = sparse.denseShape().toArray();
            } else {
                BackendTensor dense = backend.own(inputs[i], argument);
                dense.requireOpen(argument);
                owned[i] = dense;
                dtypes[i] = dense.dtype();
                dims[i] = dense.shape().toArray();
            }
        }
        OperandTypes types = new OperandTypes(operation, attributes, Arrays.asList(dtypes), Arrays.asList(dims));
        DType dtype = operation.resultDType(types);
        Shape shape = resultShape(operation, operation.resultDims(types));
        if (operation.isView()) {
            backend.requireSupported(dtype, "the result of " + operation);
            return view((BackendTensor) owned[0], dtype, shape);
        }
        backend.requireResultFits(dtype, shape, operation);
        DType inputDType = dtypes.length == 0 ? dtype : dtypes[0];
        KernelRegistry.Entry entry = spec.kernels.find(operation, inputDType);
        if (entry == null && composites.covers(operation, inputDType)) {
            AnyTensor result = composites.run(operation, types, owned);
            statistics.record(operation, 0, false);
            return result;
        }
        if (entry == null && fallback != null && fallback.covers(operation, inputDType)) {
            return fallback.run(operation, types, owned, dtype, shape, statistics);
        }
        if (entry == null) {
            throw new OperationUnsupportedException("backend " + backend.name() + " has no kernel for " + operation
                    + " on " + inputDType.displayName() + "; it runs it on " + backend.capabilities().dtypesOf(operation)
                    + ". Cast the input, or use a backend that has it (./tensorbridge backends lists them)");
        }
        try (Pins pins = new Pins()) {
            Object[] operands = pin(pins, operation, owned);
            checkGuards(operation, types, operands, shape, spec.valueChecks);
            Object result = KernelExecution.run(entry, new KernelCall(operation, types.attributes(), operands, dtype,
                    shape, spec.memory), spec.memory);
            statistics.record(operation, 0, false);
            return backend.wrap(result, dtype, shape);
        }
    }

    /** The pinned operands, in input order. */
    static Object[] pin(Pins pins, Operation operation, Object[] owned) {
        Object[] operands = new Object[owned.length];
        for (int i = 0; i < owned.length; i++) {
            String argument = operation.inputNames().get(i);
            operands[i] = owned[i] instanceof BackendSparseTensor sparse ? pins.sparse(sparse, argument)
                    : pins.dense((BackendTensor) owned[i], argument);
        }
        return operands;
    }

    /** Refuses an integer call whose guarded input holds what its guard forbids, before any kernel runs. */
    static void checkGuards(Operation operation, OperandTypes types, Object[] operands, Shape result,
            ValueChecks checks) {
        for (Guard guard : operation.guards()) {
            if (!types.dtype(guard.input()).isInteger() || result.elementCount() == 0) {
                continue;
            }
            Operand operand = (Operand) operands[guard.input()];
            if (operand.shape().elementCount() > 0 && checks.holds(operand, guard.condition())) {
                throw new UndefinedResultException(guard.message(types));
            }
        }
    }

    private Tensor view(BackendTensor input, DType dtype, Shape shape) {
        try (Pins pins = new Pins()) {
            Operand operand = pins.dense(input, "a");
            // The pin's reference becomes the view's own.
            return new BackendTensor(backend, pins.keep(operand.storage()), dtype, shape);
        }
    }

    /**
     * The result's shape; one of more than 2^63 elements (a reduction over the empty axis of a tensor with huge
     * other dimensions, say) is refused by name. {@link Shape#of} does the counting; a negative dimension would be a
     * shape rule's bug and keeps its own message.
     */
    private static Shape resultShape(Operation operation, long[] dims) {
        try {
            return Shape.of(dims);
        } catch (IllegalArgumentException e) {
            if (Arrays.stream(dims).anyMatch(dim -> dim < 0)) {
                throw e;
            }
            throw new CapacityException("the result of " + operation + " would have dimensions "
                    + Arrays.toString(dims) + ", more than 2^63 elements; use smaller dimensions");
        }
    }
}
