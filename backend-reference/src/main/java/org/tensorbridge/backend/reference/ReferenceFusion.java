package org.tensorbridge.backend.reference;

import java.nio.ByteBuffer;
import java.util.List;
import org.tensorbridge.DType;
import org.tensorbridge.graph.FusedExpression;
import org.tensorbridge.memory.ElementAccess;
import org.tensorbridge.spi.Fusion;
import org.tensorbridge.spi.Operand;

/**
 * Fused chains evaluated element by element, each operation's value rounded to the dtype as the unfused
 * kernel rounds it, so fused and unfused values are identical. Stateless.
 */
public final class ReferenceFusion implements Fusion {
    @Override
    public boolean fuses(FusedExpression expression, DType dtype) {
        return dtype.isFloatingPoint();
    }

    @Override
    public void run(FusedExpression expression, List<Operand> inputs, Operand result) {
        DType dtype = result.dtype();
        ByteBuffer[] memory = inputs.stream().map(Elements::memory).toArray(ByteBuffer[]::new);
        ByteBuffer out = Elements.memory(result);
        long n = result.shape().elementCount();
        for (long i = 0; i < n; i++) {
            ElementAccess.writeDouble(out, dtype, i, evaluate(expression, memory, i, dtype));
        }
    }

    private static double evaluate(FusedExpression expression, ByteBuffer[] inputs, long i, DType dtype) {
        if (expression instanceof FusedExpression.Input input) {
            return ElementAccess.readDouble(inputs[input.index()], dtype, i);
        }
        if (expression instanceof FusedExpression.Scalar scalar) {
            return ElementAccess.readDouble(scalar.element(), dtype, 0);
        }
        FusedExpression.Apply apply = (FusedExpression.Apply) expression;
        List<FusedExpression> operands = apply.operands();
        double value = operands.size() == 1
                ? apply.operation().elementMath().floating(evaluate(operands.get(0), inputs, i, dtype))
                : apply.operation().elementMath().floating(evaluate(operands.get(0), inputs, i, dtype),
                        evaluate(operands.get(1), inputs, i, dtype));
        return ElementAccess.round(dtype, value);
    }
}
