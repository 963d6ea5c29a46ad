package org.tensorbridge.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Tensor;

/**
 * The Java kernels for small tensors give ND4J's results bit for bit: the same random operands,
 * special values included (NaN, infinities, -0, subnormals, integer extremes that wrap), through a
 * backend that sends everything to ND4J and one that keeps small results in Java, elementwise and
 * against a single-element operand on either side.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CpuJavaKernelsTest {
    private static final int N = 1000;
    private CpuBackend inJava;
    private CpuBackend nd4j;

    enum Op {
        ADD(Tensor::add), SUBTRACT(Tensor::subtract), MULTIPLY(Tensor::multiply), DIVIDE(Tensor::divide);

        final BiFunction<Tensor, Tensor, Tensor> apply;

        Op(BiFunction<Tensor, Tensor, Tensor> apply) {
            this.apply = apply;
        }
    }

    @BeforeAll
    void open() {
        inJava = new CpuBackend(CpuBackend.DEFAULT_JAVA_KERNEL_MAX_ELEMENTS);
        nd4j = new CpuBackend(0);
    }

    @AfterAll
    void everythingClosed() {
        org.junit.jupiter.api.Assertions.assertEquals(0, inJava.ledger().liveBlocks(), inJava.ledger().toString());
        org.junit.jupiter.api.Assertions.assertEquals(0, nd4j.ledger().liveBlocks(), nd4j.ledger().toString());
    }

    private static double[] operands(Random random, DType dtype) {
        double[] special = dtype.isFloatingPoint()
                ? new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                    Float.MIN_VALUE, Double.MIN_VALUE, 1e300, -1e-300, Float.MAX_VALUE}
                : new double[] {Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0, 1};
        double[] values = new double[N];
        for (int i = 0; i < N; i++) {
            values[i] = random.nextInt(8) == 0 ? special[random.nextInt(special.length)]
                    : dtype.isFloatingPoint() ? random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10)
                    : random.nextLong();
        }
        return values;
    }

    private static Tensor tensor(CpuBackend backend, DType dtype, double[] values, int n) {
        return switch (dtype) {
            case FLOAT32 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) values[i];
                }
                yield backend.constant(v, n);
            }
            case FLOAT64 -> backend.constant(java.util.Arrays.copyOf(values, n), n);
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (int) (long) values[i];
                }
                yield backend.constant(v, n);
            }
            default -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (long) values[i];
                }
                yield backend.constant(v, n);
            }
        };
    }

    /** Raw bits of every element, so NaN payloads and -0 count. */
    private static long[] bits(Tensor tensor) {
        try (HostArray host = tensor.toHost()) {
            long[] out = new long[(int) host.shape().elementCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = switch (host.dtype()) {
                    case FLOAT32 -> Float.floatToRawIntBits(host.getFloat(i));
                    case FLOAT64 -> Double.doubleToRawLongBits(host.getDouble(i));
                    case INT32 -> host.getInt(i);
                    default -> host.getLong(i);
                };
            }
            return out;
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64", "INT32", "INT64"})
    void javaKernelsGiveNd4jsBits(DType dtype) {
        Random random = new Random(20261126L + dtype.ordinal());
        for (Op op : Op.values()) {
            if (op == Op.DIVIDE && !dtype.isFloatingPoint()) {
                continue; // integer division is IntegerDivision's, in Java on both backends
            }
            double[] x = operands(random, dtype);
            double[] y = operands(random, dtype);
            for (int[] sizes : new int[][] {{N, N}, {N, 1}, {1, N}, {1, 1}}) {
                long[] expected;
                long[] actual;
                try (Tensor a = tensor(nd4j, dtype, x, sizes[0]); Tensor b = tensor(nd4j, dtype, y, sizes[1]);
                        Tensor r = op.apply.apply(a, b)) {
                    expected = bits(r);
                }
                try (Tensor a = tensor(inJava, dtype, x, sizes[0]); Tensor b = tensor(inJava, dtype, y, sizes[1]);
                        Tensor r = op.apply.apply(a, b)) {
                    actual = bits(r);
                }
                assertArrayEquals(expected, actual, dtype + " " + op + " sizes " + sizes[0] + " and " + sizes[1]);
            }
        }
    }
}
