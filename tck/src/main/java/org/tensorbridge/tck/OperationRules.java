package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Operations;

/** Rules 6.x: values of operations against a double-precision reference. */
public interface OperationRules extends KitContext {

    /** An elementwise operation: how the backend runs it and how the reference computes it. */
    record Elementwise(String name, BiFunction<Tensor, Tensor, Tensor> run, DoubleBinaryOperator reference) {
    }

    /** The four elementwise operations; integer division truncates toward zero. */
    static List<Elementwise> elementwiseOperations(DType dtype) {
        return List.of(
                new Elementwise("add", Tensor::add, Double::sum),
                new Elementwise("subtract", Tensor::subtract, (x, y) -> x - y),
                new Elementwise("multiply", Tensor::multiply, (x, y) -> x * y),
                new Elementwise("divide", Tensor::divide,
                        dtype.isInteger() ? (x, y) -> (long) x / (long) y : (x, y) -> x / y));
    }

    /** Allowed error for results of {@code dtype}, relative to the larger of 1 and the value. */
    static double tolerance(DType dtype) {
        return switch (dtype) {
            case FLOAT64 -> 1e-12;
            case FLOAT32 -> 1e-6;
            case FLOAT16 -> 2e-3;
            case BFLOAT16 -> 1.6e-2;
            default -> 0;
        };
    }

    /** A reference result as the dtype stores it: integers wrap like the machine types. */
    static double wrap(DType dtype, double value) {
        return switch (dtype) {
            case INT8 -> (byte) (long) value;
            case UINT8 -> (long) value & 0xff;
            case INT16 -> (short) (long) value;
            case INT32 -> (int) (long) value;
            default -> value;
        };
    }

    private static void assertClose(double[] expected, double[] actual, DType dtype, String what) {
        assertEquals(expected.length, actual.length, what + ": element count");
        double tolerance = tolerance(dtype);
        for (int i = 0; i < expected.length; i++) {
            double reference = wrap(dtype, expected[i]);
            double allowed = tolerance * Math.max(1, Math.abs(reference));
            if (!(Math.abs(reference - actual[i]) <= allowed)) {
                fail(what + ": element " + i + " is " + actual[i] + ", reference " + reference + " (tolerance "
                        + allowed + ")");
            }
        }
    }

    private static Shape randomShape(Random random) {
        int rank = random.nextInt(4);
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = 1 + random.nextInt(4);
        }
        return Shape.of(dims);
    }

    /** A shape that broadcasts against {@code shape}: a suffix of it with some dimensions set to 1. */
    private static Shape broadcastPartner(Random random, Shape shape) {
        int rank = random.nextInt(shape.rank() + 1);
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            long d = shape.dim(shape.rank() - rank + i);
            dims[i] = random.nextInt(3) == 0 ? 1 : d;
        }
        return Shape.of(dims);
    }

    @Test
    @ConformanceRule("6.1")
    default void elementwiseMatchesReference() {
        Random random = fixtures().random("6.1");
        for (DType dtype : declared().supportedDTypes()) {
            if (!dtype.isNumeric()) {
                continue;
            }
            for (Elementwise op : elementwiseOperations(dtype)) {
                for (int trial = 0; trial < 8; trial++) {
                    Shape left = randomShape(random);
                    Shape right = broadcastPartner(random, left);
                    if (random.nextBoolean()) {
                        Shape swap = left;
                        left = right;
                        right = swap;
                    }
                    boolean divide = op.name().equals("divide");
                    double[] a = fixtures().randomValues(random, dtype, (int) left.elementCount(), false);
                    double[] b = fixtures().randomValues(random, dtype, (int) right.elementCount(), divide);
                    Shape out = Shape.broadcast(left, right);
                    double[] expected = Reference.broadcast(a, left, b, right, out, op.reference());
                    try (Tensor x = fixtures().tensor(dtype, left, a);
                            Tensor y = fixtures().tensor(dtype, right, b);
                            Tensor result = op.run().apply(x, y)) {
                        String what = op.name() + " " + dtype.displayName() + left + " " + Arrays.toString(a) + ", "
                                + right + " " + Arrays.toString(b) + " (seed " + fixtures().seed() + ")";
                        assertEquals(out, result.shape(), what + ": shape");
                        assertEquals(dtype, result.dtype(), what + ": dtype");
                        assertClose(expected, fixtures().values(result), dtype, what);
                    }
                }
            }
        }
    }

    @Test
    @ConformanceRule("6.2")
    default void scalarOperandsMatchReference() {
        Random random = fixtures().random("6.2");
        for (DType dtype : declared().supportedDTypes()) {
            if (!dtype.isNumeric()) {
                continue;
            }
            double[] a = fixtures().randomValues(random, dtype, 6, false);
            double s = dtype == DType.UINT8 ? 3 : dtype.isInteger() ? -3 : 2.5;
            try (Tensor x = fixtures().tensor(dtype, Shape.of(2, 3), a);
                    Tensor sum = x.add(s);
                    Tensor difference = x.subtract(s);
                    Tensor product = x.multiply(s);
                    Tensor quotient = x.divide(s)) {
                String what = dtype.displayName() + " " + Arrays.toString(a) + " with scalar " + s + " (seed "
                        + fixtures().seed() + ")";
                DoubleBinaryOperator divide = dtype.isInteger() ? (p, q) -> (long) p / (long) q : (p, q) -> p / q;
                assertClose(map(a, v -> v + s), fixtures().values(sum), dtype, "add " + what);
                assertClose(map(a, v -> v - s), fixtures().values(difference), dtype, "subtract " + what);
                assertClose(map(a, v -> v * s), fixtures().values(product), dtype, "multiply " + what);
                assertClose(map(a, v -> divide.applyAsDouble(v, s)), fixtures().values(quotient), dtype, "divide " + what);
            }
        }
    }

    private static double[] map(double[] values, java.util.function.DoubleUnaryOperator f) {
        return Arrays.stream(values).map(f).toArray();
    }

    @Test
    @ConformanceRule("6.3")
    default void matmulMatchesReference() {
        assumeTrue(declared().supports(Operations.MATMUL), "not applicable: the backend has no kernel for matmul");
        Random random = fixtures().random("6.3");
        for (DType dtype : declared().dtypesOf(Operations.MATMUL)) {
            if (!dtype.isNumeric() || dtype == DType.UINT8 || dtype == DType.INT8) {
                continue; // 8-bit sums of products overflow; the rule covers the wider types.
            }
            for (int trial = 0; trial < 5; trial++) {
                int m = 1 + random.nextInt(6);
                int k = m + 1 + random.nextInt(3);
                int n = k + 1 + random.nextInt(3);
                double[] a = fixtures().randomValues(random, dtype, m * k, false);
                double[] b = fixtures().randomValues(random, dtype, k * n, false);
                double[] expected = Reference.matmul(a, b, m, k, n);
                try (Tensor x = fixtures().tensor(dtype, Shape.of(m, k), a);
                        Tensor y = fixtures().tensor(dtype, Shape.of(k, n), b);
                        Tensor product = x.matmul(y)) {
                    String what = "matmul " + dtype.displayName() + " [" + m + ", " + k + "] x [" + k + ", " + n
                            + "] (seed " + fixtures().seed() + ")";
                    assertEquals(Shape.of(m, n), product.shape(), what + ": shape");
                    double[] actual = fixtures().values(product);
                    // Rounding error grows with the sum of the magnitudes of the k products.
                    double[] magnitudes = Reference.matmul(map(a, Math::abs), map(b, Math::abs), m, k, n);
                    for (int i = 0; i < expected.length; i++) {
                        double allowed = 4 * tolerance(dtype) * Math.max(1, magnitudes[i]);
                        if (!(Math.abs(expected[i] - actual[i]) <= allowed)) {
                            fail(what + ": element " + i + " is " + actual[i] + ", reference " + expected[i]
                                    + " (tolerance " + allowed + ")");
                        }
                    }
                }
            }
        }
    }

    @Test
    @ConformanceRule("6.4")
    default void integerDivisionTruncatesAndRefusesZero() {
        List<DType> signed = declared().supportedDTypes().stream()
                .filter(d -> d.isInteger() && d != DType.UINT8).toList();
        assumeFalse(signed.isEmpty(), "not applicable: the backend declares no signed integer dtype");
        for (DType dtype : signed) {
            try (Tensor x = fixtures().tensor(dtype, Shape.of(4), 7, -7, 7, -7);
                    Tensor y = fixtures().tensor(dtype, Shape.of(4), 2, 2, -2, -2);
                    Tensor quotient = x.divide(y)) {
                assertArrayEquals(new double[] {3, -3, -3, 3}, fixtures().values(quotient),
                        dtype.displayName() + " [7, -7, 7, -7] / [2, 2, -2, -2] must truncate toward zero");
            }
            try (Tensor x = fixtures().tensor(dtype, Shape.of(3), 1, 2, 3);
                    Tensor zeroAmong = fixtures().tensor(dtype, Shape.of(3), 1, 0, 1)) {
                ArithmeticException e = assertThrows(ArithmeticException.class, () -> x.divide(zeroAmong).close(),
                        dtype.displayName() + " division by a tensor holding 0");
                assertEquals(true, String.valueOf(e.getMessage()).contains("b"),
                        "the message does not name the divisor argument b: " + e.getMessage());
                assertThrows(ArithmeticException.class, () -> x.divide(0).close(),
                        dtype.displayName() + " division by the scalar 0");
            }
        }
    }

    @Test
    @ConformanceRule("6.5")
    default void operationsNeverChangeInputs() {
        double[] a = {1, 2, 3, 4, 5, 6};
        double[] b = {6, 5, 4};
        try (Tensor x = fixtures().tensor(DType.FLOAT32, Shape.of(2, 3), a);
                Tensor y = fixtures().tensor(DType.FLOAT32, Shape.of(3), b);
                Tensor yColumn = fixtures().tensor(DType.FLOAT32, Shape.of(3, 1), b)) {
            List<Tensor> results = new ArrayList<>(List.of(x.add(y), x.subtract(y), x.multiply(y), x.divide(y),
                    x.add(1), x.reshape(3, 2)));
            if (declares(Operations.MATMUL, DType.FLOAT32)) {
                results.add(x.matmul(yColumn));
            }
            if (declares(Operations.CAST, DType.FLOAT32)) {
                results.add(x.cast(castTarget()));
            }
            for (Tensor result : results) {
                result.close();
            }
            assertArrayEquals(a, fixtures().values(x), "an operation changed its first input");
            assertArrayEquals(b, fixtures().values(y), "an operation changed its second input");
        }
    }
}
