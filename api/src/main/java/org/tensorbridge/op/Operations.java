package org.tensorbridge.op;

import java.util.List;

/**
 * The built-in operations, each defined once (see {@link Operation}). The semantics of every
 * elementwise operation are its {@link ElementMath}; the notes below say what that means at the
 * edges. Integer arithmetic wraps on overflow in every operation and reduction.
 *
 * <p>Immutable and thread-safe.
 */
public final class Operations {
    private Operations() {
    }

    // ---- elementwise, binary, NumPy broadcasting, one numeric dtype ----

    /** {@code a + b}. */
    public static final Operation ADD = binary("add", Double::sum, Long::sum);
    /** {@code a - b}. */
    public static final Operation SUBTRACT = binary("subtract", (a, b) -> a - b, (a, b) -> a - b);
    /** {@code a * b}. */
    public static final Operation MULTIPLY = binary("multiply", (a, b) -> a * b, (a, b) -> a * b);
    /**
     * {@code a / b}: IEEE division for floating point; integers truncate toward zero, and an integer
     * divisor holding a zero is refused with {@link ArithmeticException} ({@code MIN / -1} wraps to MIN).
     */
    public static final Operation DIVIDE = Operation.builder("divide").dense("a").dense("b")
            .dtype(DTypeRule.SAME_NUMERIC).shape(ShapeRules.BROADCAST)
            .elementwise(ElementMath.binary((a, b) -> a / b, (a, b) -> a / b))
            .guard(new Guard(1, Guard.Condition.ZERO, "integer division by zero is undefined. Remove the zeros, or cast "
                    + "both to a floating dtype for IEEE infinities"))
            .build();
    /** The larger of {@code a} and {@code b}, as {@link Math#max}: NaN if either is NaN, and +0 above -0. */
    public static final Operation MAXIMUM = binary("maximum", Math::max, Math::max);
    /** The smaller of {@code a} and {@code b}, as {@link Math#min}: NaN if either is NaN, and -0 below +0. */
    public static final Operation MINIMUM = binary("minimum", Math::min, Math::min);
    /**
     * {@code a} to the power {@code b}. Floating point as C99 and IEEE 754 define it (as NumPy and
     * TensorFlow compute it): {@link Math#pow}, except that {@code pow(1, y)} is 1 for every {@code y},
     * NaN included, and {@code pow(-1, ±infinity)} is 1. Integers: exact repeated multiplication,
     * wrapping on overflow, with {@code 0^0 = 1}; a negative integer exponent is refused with
     * {@link ArithmeticException}, as NumPy and TensorFlow refuse it.
     */
    public static final Operation POW = Operation.builder("pow").dense("a").dense("b")
            .dtype(DTypeRule.SAME_NUMERIC).shape(ShapeRules.BROADCAST)
            .elementwise(ElementMath.binary(Operations::floatingPower, Operations::integerPower))
            .guard(new Guard(1, Guard.Condition.NEGATIVE, "an integer to a negative power is not an integer. Make the "
                    + "exponents 0 or more, or cast both to a floating dtype"))
            .build();

    // ---- elementwise, unary ----

    /** {@code -a}; integers wrap ({@code -MIN} is MIN), {@code uint8} wraps modulo 256. */
    public static final Operation NEG = unary("neg", DTypeRule.SAME_NUMERIC, ElementMath.unary(a -> -a, a -> -a));
    /** {@code |a|} as {@link Math#abs}; integers wrap ({@code abs(MIN)} is MIN). */
    public static final Operation ABS = unary("abs", DTypeRule.SAME_NUMERIC, ElementMath.unary(Math::abs, Math::abs));
    /** {@code e^a}, floating point only. */
    public static final Operation EXP = unary("exp", DTypeRule.SAME_FLOATING, ElementMath.unary(Math::exp, null));
    /** The natural logarithm, floating point only: NaN below 0, -infinity at 0. */
    public static final Operation LOG = unary("log", DTypeRule.SAME_FLOATING, ElementMath.unary(Math::log, null));
    /** The square root, floating point only: NaN below 0, correctly rounded. */
    public static final Operation SQRT = unary("sqrt", DTypeRule.SAME_FLOATING, ElementMath.unary(Math::sqrt, null));
    /** The hyperbolic tangent, floating point only. */
    public static final Operation TANH = unary("tanh", DTypeRule.SAME_FLOATING, ElementMath.unary(Math::tanh, null));

    // ---- structure ----

    /** The matrix product {@code [m, k] x [k, n] -> [m, n]}; integer products and sums wrap. */
    public static final Operation MATMUL = Operation.builder("matmul").dense("a").dense("b")
            .dtype(DTypeRule.SAME_NUMERIC).shape(ShapeRules.MATMUL).build();
    /** A view with new dimensions ({@link Attribute#DIMS}), the same elements in row-major order. */
    public static final Operation RESHAPE = Operation.builder("reshape").dense("a")
            .dtype(DTypeRule.FIRST).shape(ShapeRules.RESHAPE).view().build();
    /**
     * Elements converted to {@link Attribute#DTYPE} as Java converts them: floating to {@code int64} as
     * {@code (long)} and to narrower integers as {@code (int)} and then the low bits (truncation toward
     * zero, NaN to 0, values beyond int's or long's range saturated first); integers to floating rounded
     * to nearest; anything to {@code bool} is {@code value != 0}. Always a new tensor.
     */
    public static final Operation CAST = Operation.builder("cast").dense("a")
            .dtype(DTypeRule.FROM_ATTRIBUTE).shape(ShapeRules.SAME).build();
    /** Axes reordered by {@link Attribute#PERMUTATION} (reversed when not set), as NumPy's {@code transpose}. */
    public static final Operation TRANSPOSE = Operation.builder("transpose").dense("a")
            .dtype(DTypeRule.FIRST).shape(ShapeRules.TRANSPOSE).build();

    // ---- reductions over Attribute.AXES (every axis when not set), Attribute.KEEP_DIMS ----

    /** The sum; 0 over no elements; integer sums wrap. */
    public static final Operation SUM = reduction("sum", DTypeRule.SAME_NUMERIC, ShapeRules.REDUCE, ADD, false);
    /** The mean, floating point only: the sum divided by the count; NaN over no elements. */
    public static final Operation MEAN = reduction("mean", DTypeRule.SAME_FLOATING, ShapeRules.REDUCE, ADD, true);
    /** The largest element, NaN if any is NaN; refused over an empty axis. */
    public static final Operation MAX = reduction("max", DTypeRule.SAME_NUMERIC, ShapeRules.REDUCE_NON_EMPTY, MAXIMUM,
            false);
    /** The smallest element, NaN if any is NaN; refused over an empty axis. */
    public static final Operation MIN = reduction("min", DTypeRule.SAME_NUMERIC, ShapeRules.REDUCE_NON_EMPTY, MINIMUM,
            false);

    // ---- sparse ----

    /** The non-zero elements of a dense tensor, canonical. */
    public static final Operation TO_SPARSE = Operation.builder("to_sparse").dense("dense").output(ValueKind.SPARSE)
            .dtype(DTypeRule.FIRST).shape(ShapeRules.SAME).build();
    /** The dense form, duplicates summed, refused past {@link Attribute#MAX_ELEMENTS}. */
    public static final Operation TO_DENSE = Operation.builder("to_dense").sparse("a")
            .dtype(DTypeRule.FIRST).shape(ShapeRules.TO_DENSE).build();
    /** Sorted in row-major order with duplicates summed: canonical. */
    public static final Operation COALESCE = Operation.builder("coalesce").sparse("a").output(ValueKind.SPARSE)
            .dtype(DTypeRule.FIRST).shape(ShapeRules.SAME).build();
    /** Sparse {@code [m, k]} times dense {@code [k, n]}: dense, in time linear in nnz x n. */
    public static final Operation SPARSE_MATMUL = Operation.builder("sparse_matmul").sparse("a").dense("b")
            .dtype(DTypeRule.SAME_NUMERIC).shape(ShapeRules.MATMUL).build();
    /** Sparse plus sparse of one dense shape: canonical. */
    public static final Operation SPARSE_ADD = Operation.builder("sparse_add").sparse("a").sparse("b")
            .output(ValueKind.SPARSE).dtype(DTypeRule.SAME_NUMERIC).shape(ShapeRules.EQUAL).build();
    /** Sparse times a rank-0 scalar: the same indices, scaled values. */
    public static final Operation SPARSE_MULTIPLY = Operation.builder("sparse_multiply").sparse("a").dense("scalar")
            .output(ValueKind.SPARSE).dtype(DTypeRule.SAME_NUMERIC).shape(ShapeRules.SCALED).build();
    /** The transpose of a rank-2 sparse tensor, canonical. */
    public static final Operation SPARSE_TRANSPOSE = Operation.builder("sparse_transpose").sparse("a")
            .output(ValueKind.SPARSE).dtype(DTypeRule.FIRST).shape(ShapeRules.TRANSPOSE_MATRIX).build();
    /** The dense sum along {@link Attribute#AXIS}. */
    public static final Operation SPARSE_SUM = Operation.builder("sparse_sum").sparse("a")
            .dtype(DTypeRule.SAME_NUMERIC).shape(ShapeRules.DROP_AXIS).build();

    private static final List<Operation> ALL = List.of(ADD, SUBTRACT, MULTIPLY, DIVIDE, MAXIMUM, MINIMUM, POW, NEG, ABS,
            EXP, LOG, SQRT, TANH, MATMUL, RESHAPE, CAST, TRANSPOSE, SUM, MEAN, MAX, MIN, TO_SPARSE, TO_DENSE, COALESCE,
            SPARSE_MATMUL, SPARSE_ADD, SPARSE_MULTIPLY, SPARSE_TRANSPOSE, SPARSE_SUM);

    /** Every built-in operation, in the order above. */
    public static List<Operation> all() {
        return ALL;
    }

    private static Operation binary(String name, java.util.function.DoubleBinaryOperator floating,
            java.util.function.LongBinaryOperator integer) {
        return Operation.builder(name).dense("a").dense("b").dtype(DTypeRule.SAME_NUMERIC).shape(ShapeRules.BROADCAST)
                .elementwise(ElementMath.binary(floating, integer)).build();
    }

    private static Operation unary(String name, DTypeRule dtype, ElementMath math) {
        return Operation.builder(name).dense("a").dtype(dtype).shape(ShapeRules.SAME).elementwise(math).build();
    }

    private static Operation reduction(String name, DTypeRule dtype, ShapeRule shape, Operation combiner,
            boolean averages) {
        return Operation.builder(name).dense("a").dtype(dtype).shape(shape).reduction(combiner, averages).build();
    }

    /** C99's {@code pow}: {@link Math#pow} but for the two cases where Java answers NaN and C99 answers 1. */
    static double floatingPower(double base, double exponent) {
        if (base == 1.0 || (base == -1.0 && Double.isInfinite(exponent))) {
            return 1.0;
        }
        return Math.pow(base, exponent);
    }

    /** {@code base^exponent} for {@code exponent >= 0} by repeated squaring, wrapping modulo 2^64. */
    static long integerPower(long base, long exponent) {
        long result = 1;
        long square = base;
        for (long e = exponent; e > 0; e >>>= 1) {
            if ((e & 1) != 0) {
                result *= square;
            }
            square *= square;
        }
        return result;
    }
}
