package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.UndefinedResultException;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;

/**
 * Rules 12.1 to 12.3: the unary functions, maximum and minimum, and powers, against the kit's own
 * formulas, on random values and on every special value (NaN, infinities, both zeros, integer extremes).
 * Exact operations must match bit for bit; transcendental ones within the ulps each rule states.
 */
public interface ElementwiseMathRules extends KitContext {

    /** The kit's formula for a unary operation: on doubles, on integers (null if floating only), and its ulps. */
    record Unary(Operation operation, DoubleUnaryOperator floating, LongUnaryOperator integer, int ulps) {
    }

    /** The unary operations; exact ones have 0 ulps. */
    static List<Unary> unaryOperations() {
        return List.of(
                new Unary(Operations.NEG, x -> -x, x -> -x, 0),
                new Unary(Operations.ABS, Math::abs, Math::abs, 0),
                new Unary(Operations.SQRT, Math::sqrt, null, 0),
                new Unary(Operations.EXP, Math::exp, null, 4),
                new Unary(Operations.LOG, Math::log, null, 4),
                new Unary(Operations.TANH, Math::tanh, null, 8));
    }

    /** C99's pow, which NumPy and TensorFlow compute: Java's, but pow(1, y) = 1 and pow(-1, ±inf) = 1. */
    static double c99Pow(double base, double exponent) {
        return base == 1 || (base == -1 && Double.isInfinite(exponent)) ? 1 : Math.pow(base, exponent);
    }

    /** {@code base^exponent} by repeated multiplication, wrapping modulo 2^64. */
    static long integerPow(long base, long exponent) {
        long result = 1;
        for (long e = 0; e < exponent; e++) {
            result *= base;
        }
        return result;
    }

    private void requireAny(List<Operation> operations) {
        assumeTrue(operations.stream().anyMatch(op -> declared().supports(op)),
                () -> "not applicable: the backend has no kernel for " + operations);
    }

    @Test
    @ConformanceRule("12.1")
    default void unaryOperationsMatchTheirDefinition() {
        requireAny(unaryOperations().stream().map(Unary::operation).toList());
        Random random = fixtures().random("12.1");
        for (Unary op : unaryOperations()) {
            for (DType dtype : declared().dtypesOf(op.operation())) {
                String what = op.operation() + " " + dtype.displayName() + " (seed " + fixtures().seed() + ")";
                if (dtype.isInteger()) {
                    long[] values = concat(KitNumbers.integerSpecials(dtype), KitNumbers.randomIntegers(random, dtype, 24));
                    try (Tensor x = KitNumbers.integers(backend(), dtype, Shape.of(values.length), values);
                            Tensor y = x.apply(op.operation(), Attributes.NONE)) {
                        long[] actual = KitNumbers.integers(y);
                        for (int i = 0; i < values.length; i++) {
                            long expected = KitNumbers.wrap(dtype, op.integer().applyAsLong(values[i]));
                            assertEquals(expected, actual[i], what + " of " + values[i] + " (integers wrap)");
                        }
                    }
                } else {
                    double[] values = concat(KitNumbers.floatSpecials(dtype), KitNumbers.randomFloats(random, dtype, 24));
                    try (Tensor x = fixtures().tensor(dtype, Shape.of(values.length), values);
                            Tensor y = x.apply(op.operation(), Attributes.NONE)) {
                        assertEquals(dtype, y.dtype(), what + ": dtype");
                        double[] actual = fixtures().values(y);
                        for (int i = 0; i < values.length; i++) {
                            double expected = KitNumbers.round(dtype, op.floating().applyAsDouble(values[i]));
                            if (!KitNumbers.withinUlps(dtype, expected, actual[i], op.ulps())) {
                                fail(what + " of " + values[i] + " is " + actual[i] + ", expected " + expected
                                        + (op.ulps() == 0 ? " exactly" : " within " + op.ulps() + " ulps"));
                            }
                        }
                    }
                }
            }
        }
        for (Unary op : unaryOperations()) {
            if (op.integer() == null && declared().supports(DType.INT32)) {
                try (Tensor ints = fixtures().tensor(DType.INT32, Shape.of(2), 1, 2)) {
                    DTypeMismatchException e = assertThrows(DTypeMismatchException.class,
                            () -> ints.apply(op.operation(), Attributes.NONE).close(), op.operation() + " of int32");
                    assertTrue(e.getMessage().contains("cast"), op.operation() + " of int32 must name a cast: " + e);
                }
            }
        }
    }

    @Test
    @ConformanceRule("12.2")
    default void maximumAndMinimumPropagateNanAndOrderZeros() {
        requireAny(List.of(Operations.MAXIMUM, Operations.MINIMUM));
        for (Operation op : List.of(Operations.MAXIMUM, Operations.MINIMUM)) {
            boolean max = op == Operations.MAXIMUM;
            binaryOnEveryPair(op, max ? Math::max : Math::min, max ? Math::max : Math::min, 0);
            if (!declared().dtypesOf(op).isEmpty()) {
                DType dtype = declared().dtypesOf(op).iterator().next();
                double[] rows = fixtures().randomValues(fixtures().random("12.2"), dtype, 6, false);
                try (Tensor a = fixtures().tensor(dtype, Shape.of(2, 3), rows);
                        Tensor b = fixtures().tensor(dtype, Shape.of(3), 1, 0, -1);
                        Tensor c = a.apply(op, Attributes.NONE, b)) {
                    assertEquals(Shape.of(2, 3), c.shape(), op + " broadcasts [2, 3] with [3]");
                    double[] actual = fixtures().values(c);
                    // What b holds, not the literals: -1 is 255 in an unsigned dtype.
                    double[] others = fixtures().values(b);
                    for (int i = 0; i < 6; i++) {
                        double other = others[i % 3];
                        assertEquals(max ? Math.max(rows[i], other) : Math.min(rows[i], other), actual[i], 0,
                                op + " broadcast element " + i);
                    }
                }
            }
        }
    }

    @Test
    @ConformanceRule("12.3")
    default void powersFollowC99AndIntegersWrap() {
        requireAny(List.of(Operations.POW));
        binaryOnEveryPair(Operations.POW, ElementwiseMathRules::c99Pow, null, 16);
        Random random = fixtures().random("12.3");
        for (DType dtype : declared().dtypesOf(Operations.POW)) {
            if (!dtype.isInteger()) {
                continue;
            }
            int n = 40;
            long[] bases = new long[n];
            long[] exponents = new long[n];
            for (int i = 0; i < n; i++) {
                long[] specials = KitNumbers.integerSpecials(dtype);
                bases[i] = i < specials.length ? specials[i] : KitNumbers.wrap(dtype, random.nextInt(7) - 3);
                exponents[i] = i % 5 == 0 ? 0 : KitNumbers.wrap(dtype, random.nextInt(dtype == DType.UINT8 ? 9 : 70));
                if (exponents[i] < 0) {
                    exponents[i] = 3;
                }
            }
            String what = "pow " + dtype.displayName() + " (seed " + fixtures().seed() + ")";
            try (Tensor a = KitNumbers.integers(backend(), dtype, Shape.of(n), bases);
                    Tensor b = KitNumbers.integers(backend(), dtype, Shape.of(n), exponents);
                    Tensor c = a.pow(b)) {
                long[] actual = KitNumbers.integers(c);
                for (int i = 0; i < n; i++) {
                    assertEquals(KitNumbers.wrap(dtype, integerPow(bases[i], exponents[i])), actual[i],
                            what + ": " + bases[i] + "^" + exponents[i] + " (exact, wrapping)");
                }
            }
            if (dtype != DType.UINT8) {
                try (Tensor a = KitNumbers.integers(backend(), dtype, Shape.of(2), new long[] {2, 3});
                        Tensor b = KitNumbers.integers(backend(), dtype, Shape.of(2), new long[] {1, -1})) {
                    UndefinedResultException e = assertThrows(UndefinedResultException.class, () -> a.pow(b).close(),
                            what + ": a negative integer exponent");
                    assertTrue(e.getMessage().contains("b"), what + ": the refusal must name the exponent: " + e);
                }
            }
        }
    }

    /**
     * {@code op} on every pair of special and random values, of every dtype the backend runs it on;
     * integers checked exactly (wrapped), floats within {@code ulps} (exactly where the result is NaN,
     * infinite or zero). Integer pairs are skipped when {@code integer} is null.
     */
    private void binaryOnEveryPair(Operation op, DoubleBinaryOperator floating, LongBinaryOperator integer, int ulps) {
        Random random = fixtures().random("12.x " + op);
        for (DType dtype : declared().dtypesOf(op)) {
            String what = op + " " + dtype.displayName() + " (seed " + fixtures().seed() + ")";
            if (dtype.isInteger()) {
                if (integer == null) {
                    continue;
                }
                long[] values = concat(KitNumbers.integerSpecials(dtype), KitNumbers.randomIntegers(random, dtype, 6));
                long[][] pairs = KitNumbers.pairs(values);
                long[] a = pairs[0];
                long[] b = pairs[1];
                int n = a.length;
                try (Tensor x = KitNumbers.integers(backend(), dtype, Shape.of(n), a);
                        Tensor y = KitNumbers.integers(backend(), dtype, Shape.of(n), b);
                        Tensor z = x.apply(op, Attributes.NONE, y)) {
                    long[] actual = KitNumbers.integers(z);
                    for (int i = 0; i < n; i++) {
                        assertEquals(KitNumbers.wrap(dtype, integer.applyAsLong(a[i], b[i])), actual[i],
                                what + " of " + a[i] + " and " + b[i]);
                    }
                }
            } else {
                double[] values = concat(KitNumbers.floatSpecials(dtype), KitNumbers.randomFloats(random, dtype, 6));
                double[][] pairs = KitNumbers.pairs(values);
                double[] a = pairs[0];
                double[] b = pairs[1];
                int n = a.length;
                try (Tensor x = fixtures().tensor(dtype, Shape.of(n), a);
                        Tensor y = fixtures().tensor(dtype, Shape.of(n), b);
                        Tensor z = x.apply(op, Attributes.NONE, y)) {
                    double[] actual = fixtures().values(z);
                    for (int i = 0; i < n; i++) {
                        double expected = KitNumbers.round(dtype, floating.applyAsDouble(a[i], b[i]));
                        if (!KitNumbers.withinUlps(dtype, expected, actual[i], ulps)) {
                            fail(what + " of " + a[i] + " and " + b[i] + " is " + actual[i] + ", expected " + expected
                                    + (ulps == 0 ? " exactly" : " within " + ulps + " ulps"));
                        }
                    }
                }
            }
        }
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
