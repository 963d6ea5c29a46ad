package org.tensorbridge.backend.gpu;

import java.nio.ByteBuffer;
import java.util.List;
import org.tensorbridge.DType;
import org.tensorbridge.spi.FusedExpression;
import org.tensorbridge.spi.Operand;

/**
 * Runs a graph's fused chain of elementwise operations as one generated kernel launch
 * ({@link FusedSource}), compiled once per (signature, input count, dtype) and cached in the context's
 * bounded {@link FusedCache}. Scalars travel as kernel arguments, so nothing but the launch itself
 * crosses from the host, and nothing comes back.
 *
 * <p>Stateless apart from the context; call {@link #run} with the context lock held.
 */
final class FusedKernels {
    /**
     * Bytes of kernel arguments a fused kernel may take: OpenCL 1.2's minimum of
     * {@code CL_DEVICE_MAX_PARAMETER_SIZE} for a full-profile device, so every device accepts it.
     */
    static final int MAX_ARGUMENT_BYTES = 1024;

    private final ClContext cl;

    FusedKernels(ClContext cl) {
        this.cl = cl;
    }

    /**
     * True if {@link #run} computes this expression: an operation (not a bare leaf) over a floating
     * dtype, with every input of the result's dtype and shape, every scalar one element of it, and
     * arguments within {@link #MAX_ARGUMENT_BYTES}. The backend runs anything else through the spi's
     * step-by-step default.
     */
    static boolean supports(FusedExpression expression, List<Operand> inputs, Operand result) {
        DType dtype = result.dtype();
        if (!(expression instanceof FusedExpression.Apply) || !dtype.isFloatingPoint()) {
            return false;
        }
        for (Operand input : inputs) {
            if (input.dtype() != dtype || !input.shape().equals(result.shape())) {
                return false;
            }
        }
        List<FusedExpression.Scalar> scalars = FusedSource.scalars(expression);
        for (FusedExpression.Scalar scalar : scalars) {
            if (scalar.element().remaining() != dtype.byteWidth()) {
                return false;
            }
        }
        // Pointers (inputs and result) and the count are 8 bytes each; a scalar is one element, at most 8.
        long argumentBytes = 8L * (inputs.size() + 2) + 8L * scalars.size();
        return argumentBytes <= MAX_ARGUMENT_BYTES && inputsInRange(expression, inputs.size());
    }

    private static boolean inputsInRange(FusedExpression expression, int inputs) {
        if (expression instanceof FusedExpression.Input input) {
            return input.index() >= 0 && input.index() < inputs;
        }
        if (expression instanceof FusedExpression.Apply apply) {
            return inputsInRange(apply.left(), inputs) && inputsInRange(apply.right(), inputs);
        }
        return true;
    }

    /** {@code result = expression(inputs)} in one launch; the caller checked {@link #supports}. */
    void run(FusedExpression expression, List<Operand> inputs, Operand result) {
        DType dtype = result.dtype();
        int count = inputs.size();
        String key = FusedSource.key(expression, count, dtype);
        KernelCall call = cl.fused(key, dtype,
                () -> FusedSource.kernel((FusedExpression.Apply) expression, count, dtype));
        for (Operand input : inputs) {
            call.mem(DenseKernels.device(input));
        }
        for (FusedExpression.Scalar scalar : FusedSource.scalars(expression)) {
            ByteBuffer element = scalar.element().duplicate();
            byte[] bytes = new byte[element.remaining()];
            element.get(bytes);
            call.bytes(bytes);
        }
        long n = result.shape().elementCount();
        call.mem(DenseKernels.device(result)).i64(n).run(n);
    }
}
