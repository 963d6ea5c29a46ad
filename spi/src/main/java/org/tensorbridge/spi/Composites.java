package org.tensorbridge.spi;

import org.tensorbridge.AnyTensor;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.OperandTypes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.op.ShapeRules;

/**
 * Operations a backend gets from its other kernels when it has no kernel of their own: a mean is a sum
 * divided by the element count; a sparse tensor times a scalar multiplies its values with the dense
 * multiply kernel and shares its indices. A backend that registers a kernel for either replaces this.
 * Thread-safe.
 */
final class Composites {
    private final AbstractBackend backend;
    private final KernelRegistry kernels;

    Composites(AbstractBackend backend, KernelRegistry kernels) {
        this.backend = backend;
        this.kernels = kernels;
    }

    boolean covers(Operation operation, DType dtype) {
        if (operation == Operations.MEAN) {
            return kernels.find(Operations.SUM, dtype) != null && kernels.find(Operations.DIVIDE, dtype) != null;
        }
        if (operation == Operations.SPARSE_MULTIPLY) {
            return kernels.find(Operations.MULTIPLY, dtype) != null;
        }
        return false;
    }

    AnyTensor run(Operation operation, OperandTypes types, Object[] owned) {
        return operation == Operations.MEAN ? mean(types, (BackendTensor) owned[0])
                : scaled((BackendSparseTensor) owned[0], (BackendTensor) owned[1]);
    }

    private Tensor mean(OperandTypes types, BackendTensor input) {
        long count = 1;
        boolean[] reduced = ShapeRules.reducedAxes(types, input.shape().rank());
        for (int axis = 0; axis < reduced.length; axis++) {
            if (reduced[axis]) {
                count *= input.shape().dim(axis);
            }
        }
        DType dtype = input.dtype();
        if (widens(dtype)) {
            // A half-precision sum overflows long before the mean does, and holds counts above 2048 (256 for
            // bfloat16) inexactly: sum and divide in float32, rounding to the dtype once at the end.
            try (Tensor wide = backend.apply(Operations.CAST, Attributes.of(Attribute.DTYPE, DType.FLOAT32), input);
                    Tensor sum = backend.apply(Operations.SUM, types.attributes(), wide);
                    Tensor n = backend.scalar(DType.FLOAT32, (double) count);
                    Tensor mean = backend.apply(Operations.DIVIDE, Attributes.NONE, sum, n)) {
                return backend.apply(Operations.CAST, Attributes.of(Attribute.DTYPE, dtype), mean);
            }
        }
        try (Tensor sum = backend.apply(Operations.SUM, types.attributes(), input);
                Tensor n = backend.scalar(dtype, (double) count)) {
            return backend.apply(Operations.DIVIDE, Attributes.NONE, sum, n);
        }
    }

    /** True if a mean of {@code dtype} is computed in float32, which the backend must run sum and divide on. */
    private boolean widens(DType dtype) {
        return (dtype == DType.FLOAT16 || dtype == DType.BFLOAT16) && kernels.find(Operations.CAST, dtype) != null
                && kernels.find(Operations.CAST, DType.FLOAT32) != null && kernels.find(Operations.SUM, DType.FLOAT32) != null
                && kernels.find(Operations.DIVIDE, DType.FLOAT32) != null;
    }

    private AnyTensor scaled(BackendSparseTensor input, BackendTensor scalar) {
        try (Pins pins = new Pins()) {
            SparseOperand a = pins.sparse(input, "a");
            a.values().storage().retain();
            try (Tensor values = new BackendTensor(backend, a.values().storage(), a.dtype(), Shape.of(a.nnz()));
                    Tensor product = backend.apply(Operations.MULTIPLY, Attributes.NONE, values, scalar)) {
                Operand scaled = pins.dense((BackendTensor) product, "scaled values");
                // Same indices, shared: the result keeps the pin's reference to them.
                return new BackendSparseTensor(backend, pins.keep(a.indices().storage()), pins.keep(scaled.storage()),
                        a.dtype(), a.denseShape(), a.nnz(), a.canonical());
            }
        }
    }
}
