package org.tensorbridge.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P7b, what bounds the CPU backend's CSR row loop: P7's product (float32, {@code 4096 × 4096} CSR at the
 * given density times {@code 4096 × 64}) on one thread, the CSR arrays prepared beforehand, so only the
 * inner loops differ. Not part of the short suite; it explains P7's figures.
 *
 * <ul>
 *   <li>{@code direct}: {@code sum[j] += v × b[offset + j]}, one entry per pass, the loop P7 ran before.
 *       C2 (JDK 17) cannot order {@code b[offset + j]} against {@code sum[j]}, so it does not vectorise it.
 *   <li>{@code directFourPerPass}: the same, four entries per pass over {@code sum}.
 *   <li>{@code copiedFourPerPass}: each entry's dense row copied into its own scratch array first, then
 *       four entries per pass; this one vectorises, but pays a {@code System.arraycopy} per entry.
 *   <li>{@code arithmeticOnly}: {@code copiedFourPerPass} without the copies (its result is wrong): the
 *       cost of the arithmetic and loop control alone.
 *   <li>{@code rowArraysFourPerPass}: the backend's loop ({@code CsrRowProduct}): the dense operand as one
 *       array per row, four entries per pass; vectorised without copies.
 * </ul>
 * Compare with SciPy's {@code csr @ dense} from {@code bench/numpy_peers.py}, which is single-threaded too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class P7bCsrRowLoops {
    private static final int M = 4096;
    private static final int K = 4096;

    /** Fraction of the sparse operand's elements that are stored. */
    @Param({"0.01", "0.10"})
    public String density;

    /** Output columns; read at run time, as the backend's kernel reads them. */
    int n = 64;
    int[] indptr;
    int[] columnOffset;
    int[] column;
    float[] values;
    float[] dense;
    float[][] denseRows;
    float[] out;

    @Setup
    public void setUp() {
        double fraction = Double.parseDouble(density);
        SplittableRandom random = new SplittableRandom(8);
        int[] offsets = new int[(int) (M * (long) K * fraction * 1.2) + 1024];
        float[] stored = new float[offsets.length];
        indptr = new int[M + 1];
        int nnz = 0;
        for (int row = 0; row < M; row++) {
            for (int column = 0; column < K; column++) {
                if (random.nextDouble() < fraction) {
                    offsets[nnz] = column * n;
                    stored[nnz++] = (float) random.nextDouble();
                }
            }
            indptr[row + 1] = nnz;
        }
        columnOffset = Arrays.copyOf(offsets, nnz);
        values = Arrays.copyOf(stored, nnz);
        dense = new float[K * n];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = (float) random.nextDouble();
        }
        column = new int[nnz];
        for (int p = 0; p < nnz; p++) {
            column[p] = columnOffset[p] / n;
        }
        denseRows = new float[K][];
        for (int c = 0; c < K; c++) {
            denseRows[c] = Arrays.copyOfRange(dense, c * n, (c + 1) * n);
        }
        out = new float[M * n];
    }

    @Benchmark
    public float[] rowArraysFourPerPass() {
        float[] sum = new float[n];
        for (int row = 0; row < M; row++) {
            Arrays.fill(sum, 0f);
            int p = indptr[row];
            int last = indptr[row + 1];
            for (; p + 4 <= last; p += 4) {
                float v0 = values[p];
                float v1 = values[p + 1];
                float v2 = values[p + 2];
                float v3 = values[p + 3];
                float[] b0 = denseRows[column[p]];
                float[] b1 = denseRows[column[p + 1]];
                float[] b2 = denseRows[column[p + 2]];
                float[] b3 = denseRows[column[p + 3]];
                for (int j = 0; j < n; j++) {
                    sum[j] = (((sum[j] + v0 * b0[j]) + v1 * b1[j]) + v2 * b2[j]) + v3 * b3[j];
                }
            }
            for (; p < last; p++) {
                float v = values[p];
                float[] b0 = denseRows[column[p]];
                for (int j = 0; j < n; j++) {
                    sum[j] += v * b0[j];
                }
            }
            System.arraycopy(sum, 0, out, row * n, n);
        }
        return out;
    }

    @Benchmark
    public float[] direct() {
        float[] sum = new float[n];
        for (int row = 0; row < M; row++) {
            Arrays.fill(sum, 0f);
            for (int p = indptr[row]; p < indptr[row + 1]; p++) {
                float v = values[p];
                int offset = columnOffset[p];
                for (int j = 0; j < n; j++) {
                    sum[j] += v * dense[offset + j];
                }
            }
            System.arraycopy(sum, 0, out, row * n, n);
        }
        return out;
    }

    @Benchmark
    public float[] directFourPerPass() {
        float[] sum = new float[n];
        for (int row = 0; row < M; row++) {
            Arrays.fill(sum, 0f);
            int p = indptr[row];
            int last = indptr[row + 1];
            for (; p + 4 <= last; p += 4) {
                float v0 = values[p];
                float v1 = values[p + 1];
                float v2 = values[p + 2];
                float v3 = values[p + 3];
                int o0 = columnOffset[p];
                int o1 = columnOffset[p + 1];
                int o2 = columnOffset[p + 2];
                int o3 = columnOffset[p + 3];
                for (int j = 0; j < n; j++) {
                    sum[j] = (((sum[j] + v0 * dense[o0 + j]) + v1 * dense[o1 + j]) + v2 * dense[o2 + j])
                            + v3 * dense[o3 + j];
                }
            }
            for (; p < last; p++) {
                float v = values[p];
                int offset = columnOffset[p];
                for (int j = 0; j < n; j++) {
                    sum[j] += v * dense[offset + j];
                }
            }
            System.arraycopy(sum, 0, out, row * n, n);
        }
        return out;
    }

    @Benchmark
    public float[] copiedFourPerPass() {
        return copied(true);
    }

    @Benchmark
    public float[] arithmeticOnly() {
        return copied(false);
    }

    private float[] copied(boolean copy) {
        float[] sum = new float[n];
        float[] b0 = new float[n];
        float[] b1 = new float[n];
        float[] b2 = new float[n];
        float[] b3 = new float[n];
        for (int row = 0; row < M; row++) {
            Arrays.fill(sum, 0f);
            int p = indptr[row];
            int last = indptr[row + 1];
            for (; p + 4 <= last; p += 4) {
                float v0 = values[p];
                float v1 = values[p + 1];
                float v2 = values[p + 2];
                float v3 = values[p + 3];
                if (copy) {
                    System.arraycopy(dense, columnOffset[p], b0, 0, n);
                    System.arraycopy(dense, columnOffset[p + 1], b1, 0, n);
                    System.arraycopy(dense, columnOffset[p + 2], b2, 0, n);
                    System.arraycopy(dense, columnOffset[p + 3], b3, 0, n);
                }
                for (int j = 0; j < n; j++) {
                    sum[j] = (((sum[j] + v0 * b0[j]) + v1 * b1[j]) + v2 * b2[j]) + v3 * b3[j];
                }
            }
            for (; p < last; p++) {
                float v = values[p];
                if (copy) {
                    System.arraycopy(dense, columnOffset[p], b0, 0, n);
                }
                for (int j = 0; j < n; j++) {
                    sum[j] += v * b0[j];
                }
            }
            System.arraycopy(sum, 0, out, row * n, n);
        }
        return out;
    }
}
