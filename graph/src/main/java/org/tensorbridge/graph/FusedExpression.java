package org.tensorbridge.graph;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import org.tensorbridge.op.Operation;

/**
 * A chain of elementwise operations that a graph run hands to a backend as one unit ({@link
 * GraphSupport#fuse}), so that the backend can compute it in one pass over memory (one generated
 * kernel) instead of one pass per operation. Leaves are inputs (all of the result's shape and dtype)
 * or scalar constants of that dtype; inner nodes apply an elementwise {@link Operation} of any arity.
 *
 * <p>Immutable and thread-safe. {@link #signature()} identifies the expression's structure, for
 * caching generated kernels.
 */
public sealed interface FusedExpression {
    /**
     * The {@code index}-th input operand. An expression's inputs are numbered 0, 1, 2, ... without gaps,
     * in the order the run hands them to the backend, so the largest index plus one is their count.
     */
    record Input(int index) implements FusedExpression {
        @Override
        public String signature() {
            return "x" + index;
        }
    }

    /**
     * A scalar constant.
     *
     * @param element the element in native byte order of the result's dtype (read-only)
     * @param value the number it encodes, for generated code
     */
    record Scalar(ByteBuffer element, Number value) implements FusedExpression {
        /** Validates and protects the element. */
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

    /**
     * {@code operation(operands...)}.
     *
     * @param operation an elementwise operation
     * @param operands one per input of the operation
     */
    record Apply(Operation operation, List<FusedExpression> operands) implements FusedExpression {
        /** Validates the operation and its operand count. */
        public Apply {
            Objects.requireNonNull(operation, "operation");
            operands = List.copyOf(operands);
            if (!operation.isElementwise() || operands.size() != operation.arity()) {
                throw new IllegalArgumentException("a fused expression applies elementwise operations to one operand "
                        + "per input, but " + operation + " got " + operands.size());
            }
        }

        @Override
        public String signature() {
            StringBuilder text = new StringBuilder(operation.name()).append('(');
            for (int i = 0; i < operands.size(); i++) {
                text.append(i > 0 ? "," : "").append(operands.get(i).signature());
            }
            return text.append(')').toString();
        }
    }

    /**
     * The expression's structure without scalar values, for example {@code multiply(add(x0,s),x1)}:
     * equal signatures can share one compiled kernel with the scalars as arguments.
     */
    String signature();

    /** Number of operations in the expression. */
    default int operations() {
        return this instanceof Apply apply ? 1 + apply.operands().stream().mapToInt(FusedExpression::operations).sum()
                : 0;
    }
}
