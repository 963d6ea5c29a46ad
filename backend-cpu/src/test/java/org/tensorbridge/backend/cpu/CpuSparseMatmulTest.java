package org.tensorbridge.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.HostArray;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;

/**
 * The CPU backend's CSR sparse × dense kernel gives the reference backend's generic kernel's results
 * bit for bit: entries in random (not row) order and in row order, repeated positions, empty rows, rows
 * with more and fewer entries than one pass folds in, canonical operands (read in place, rows found by binary
 * search), NaN and infinities, products small enough for one
 * thread and large enough for the fork-join pool, more output columns than one tile. NaNs compare as one value:
 * which operand's NaN payload an addition keeps is the processor's choice, not the contract's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CpuSparseMatmulTest {
    private final CpuBackend cpu = new CpuBackend(CpuBackend.DEFAULT_JAVA_KERNEL_MAX_ELEMENTS);
    private final Backend reference = Backends.get("reference");

    @AfterAll
    void everythingClosed() {
        assertEquals(0, cpu.ledger().liveBlocks(), cpu.ledger().toString());
    }

    @ParameterizedTest(name = "{0} x {1} times {1} x {2}, {3} entries, float64 {4}, in row order {5}")
    @CsvSource({"7, 5, 3, 12, false, false", "7, 5, 3, 12, true, false", "300, 200, 48, 9000, false, false",
            "300, 200, 48, 9000, true, false", "1, 1, 1, 0, false, false", "40, 30, 1, 100, false, false",
            "64, 50, 64, 700, false, false", "64, 50, 64, 700, true, true", "64, 50, 64, 700, false, true",
            "9, 6, 1100, 40, false, true", "9, 6, 1100, 40, true, false", "200, 300, 67, 20000, false, true"})
    void sameBitsAsTheGenericKernel(int m, int k, int n, int nnz, boolean float64, boolean byRow) {
        Random random = new Random(m * 31L + nnz);
        long[][] indices = new long[nnz][];
        double[] values = new double[nnz];
        for (int p = 0; p < nnz; p++) {
            // Rows avoid every third one, so empty rows occur; positions repeat, order is random.
            indices[p] = new long[] {(random.nextInt(m) / 3) * 3 % m, random.nextInt(k)};
            values[p] = random.nextInt(50) == 0 ? Double.NaN : random.nextInt(50) == 1 ? Double.NEGATIVE_INFINITY
                    : random.nextGaussian() * 1e3;
        }
        if (byRow) {
            // Rows ascending, columns within a row still random and repeated: in row order, not canonical.
            Integer[] order = new Integer[nnz];
            Arrays.setAll(order, p -> p);
            Arrays.sort(order, Comparator.comparingLong(p -> indices[p][0]));
            long[][] sortedIndices = new long[nnz][];
            double[] sortedValues = new double[nnz];
            for (int p = 0; p < nnz; p++) {
                sortedIndices[p] = indices[order[p]];
                sortedValues[p] = values[order[p]];
            }
            System.arraycopy(sortedIndices, 0, indices, 0, nnz);
            System.arraycopy(sortedValues, 0, values, 0, nnz);
        }
        double[] dense = random.doubles((long) k * n, -1, 1).toArray();
        assertArrayEquals(product(reference, indices, values, dense, m, k, n, float64),
                product(cpu, indices, values, dense, m, k, n, float64));
    }

    @ParameterizedTest(name = "canonical {0} x {1} times {1} x {2}, density {3}, float64 {4}")
    @CsvSource({"7, 5, 3, 0.4, false", "300, 200, 48, 0.2, false", "300, 200, 48, 0.2, true", "64, 50, 1, 0.3, true",
            "9, 6, 1100, 0.5, false", "2000, 300, 64, 0.05, false", "2000, 300, 64, 0.05, true"})
    void canonicalOperandsReadInPlaceGiveTheSameBits(int m, int k, int n, double density, boolean float64) {
        Random random = new Random(m * 17L + n);
        long[][] all = new long[m * k][];
        int nnz = 0;
        for (int position = 0; position < m * k; position++) {
            if (random.nextDouble() < density) {
                all[nnz++] = new long[] {position / k, position % k};
            }
        }
        long[][] indices = Arrays.copyOf(all, nnz);
        double[] values = random.doubles(nnz, -10, 10).toArray();
        try (SparseTensor a = cpu.sparseCoo(indices, values, m, k)) {
            assertTrue(a.isCanonical(), "the operand this test is about is canonical");
        }
        double[] dense = random.doubles((long) k * n, -1, 1).toArray();
        assertArrayEquals(product(reference, indices, values, dense, m, k, n, float64),
                product(cpu, indices, values, dense, m, k, n, float64));
    }

    private static long[] product(Backend backend, long[][] indices, double[] values, double[] dense, int m, int k,
            int n, boolean float64) {
        try (SparseTensor a = float64 ? backend.sparseCoo(indices, values, m, k)
                        : backend.sparseCoo(indices, floats(values), m, k);
                Tensor b = float64 ? backend.constant(dense, k, n) : backend.constant(floats(dense), k, n);
                Tensor product = a.matmul(b);
                HostArray host = product.toHost()) {
            long[] bits = new long[m * n];
            if (float64) {
                double[] out = new double[m * n];
                host.copyTo(out);
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = Double.doubleToLongBits(out[i]);
                }
            } else {
                float[] out = new float[m * n];
                host.copyTo(out);
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = Float.floatToIntBits(out[i]);
                }
            }
            return bits;
        }
    }

    private static float[] floats(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }
}
