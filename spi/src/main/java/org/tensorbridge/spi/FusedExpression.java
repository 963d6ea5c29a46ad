package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A chain of elementwise operations that a graph run hands to a backend as one unit, so that a
 * backend can compute it in one pass over memory (one generated kernel) instead of one pass per
 * operation. Leaves are inputs (all of the result's shape and dtype) or scalars of that dtype.
 *
 * <p>Immutable and thread-safe. {@link #signature()} identifies the expression's structure, for
 * caching generated kernels.
 */
public sealed interface FusedExpression {
    /** The {@code index}-th input operand. */
    record Input(int index) implements FusedExpression {
        @Override
        public String signature() {
            return "x" + index;
        }
    }

    /** A scalar, one element in native byte order of the result's dtype. */
    record Scalar(ByteBuffer element, Number value) implements FusedExpression {
        /** @param element the encoded element; @param value the number it encodes, for generated code */
        public Scalar {
            Objects.requireNonNull(element, "element");
            Objects.requireNonNull(value, "value");
            element = element.asReadOnlyBuffer().order(element.order());
        }

        @Override
        public String signature() {
            return "s";
        }
    }

    /** {@code left op right}. */
    record Apply(BinaryOp op, FusedExpression left, FusedExpression right) implements FusedExpression {
        /** @param op the operation; @param left its left operand; @param right its right operand */
        public Apply {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public String signature() {
            return op.name().charAt(0) + "(" + left.signature() + "," + right.signature() + ")";
        }
    }

    /**
     * The expression's structure without scalar values, for example {@code M(A(x0,s),x1)}: equal
     * signatures can share one compiled kernel with the scalars as arguments.
     */
    String signature();

    /** Number of operations in the expression. */
    default int operations() {
        return this instanceof Apply apply ? 1 + apply.left().operations() + apply.right().operations() : 0;
    }
}
