package org.tensorbridge.spi;

import java.util.List;
import org.tensorbridge.DType;
import org.tensorbridge.graph.FusedExpression;

/**
 * Fused elementwise chains (optional): a graph run hands a chain of floating-point elementwise
 * operations over operands of the result's shape and dtype to the backend as one expression, which a
 * backend can compute in one pass over memory (one generated kernel). Without it, graphs compute the
 * chain one operation at a time. The values must equal the unfused operations' bit for bit.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Fusion {
    /** True if {@link #run} computes {@code expression} on {@code dtype}. */
    boolean fuses(FusedExpression expression, DType dtype);

    /**
     * Computes {@code expression} over {@code inputs} (pinned, each of the result's dtype and shape) into
     * {@code result}, which it overwrites completely; never called for an empty result.
     */
    void run(FusedExpression expression, List<Operand> inputs, Operand result);
}
