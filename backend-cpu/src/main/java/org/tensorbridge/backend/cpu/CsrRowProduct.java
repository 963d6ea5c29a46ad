package org.tensorbridge.backend.cpu;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The inner loops of CSR × dense: rows of the product, each accumulated over its row's entries in row
 * order, so every output element is {@code ((0 + v0·b0) + v1·b1) + …} in the generic kernel's order.
 *
 * <p>Why the loops look the way they do. HotSpot's C2 (JDK 17) turns {@code sum[j] += v × b[offset + j]}
 * into SIMD code only when it can order every load against every store of the loop; it can for accesses
 * to different arrays at the same index, not for {@code b[offset + j]} against {@code sum[j]}, so that
 * loop runs one element at a time. Each entry's row of the dense operand is therefore first copied
 * ({@code System.arraycopy}, itself vectorised) into a scratch array indexed like {@code sum}; four entries
 * are folded in per pass, each with its own scratch array (an index shifted by a run-time amount is
 * again unorderable), so the accumulator is loaded and stored once per four multiply-adds. The product's
 * columns are done in tiles so the scratch stays in the first-level cache for any {@code n}.
 *
 * <p>Stateless; each call allocates its own accumulators, so calls on disjoint rows may run in parallel.
 */
final class CsrRowProduct {
    /** Entries folded in per pass over an output row. */
    private static final int GROUP = 4;
    /** Output columns per tile: accumulator and scratch (five tiles) stay in a 48 KiB L1 for float64. */
    private static final int TILE = 1024;

    private CsrRowProduct() {
    }

    /** Rows {@code [first, end)} of {@code out = A × b} for float32; {@code v} holds A's values in row order. */
    static void floats(CsrRows rows, float[] v, float[] b, int n, FloatBuffer out, int first, int end) {
        int width = Math.min(n, TILE);
        float[] sum = new float[width];
        float[] b0 = new float[width];
        float[] b1 = new float[width];
        float[] b2 = new float[width];
        float[] b3 = new float[width];
        int[] indptr = rows.indptr;
        int[] offset = rows.columnOffset;
        for (int r = first; r < end; r++) {
            for (int from = 0; from < n; from += width) {
                int w = Math.min(width, n - from);
                Arrays.fill(sum, 0, w, 0f);
                int p = indptr[r];
                int last = indptr[r + 1];
                for (; p + GROUP <= last; p += GROUP) {
                    float v0 = v[p];
                    float v1 = v[p + 1];
                    float v2 = v[p + 2];
                    float v3 = v[p + 3];
                    System.arraycopy(b, offset[p] + from, b0, 0, w);
                    System.arraycopy(b, offset[p + 1] + from, b1, 0, w);
                    System.arraycopy(b, offset[p + 2] + from, b2, 0, w);
                    System.arraycopy(b, offset[p + 3] + from, b3, 0, w);
                    for (int j = 0; j < w; j++) {
                        sum[j] = (((sum[j] + v0 * b0[j]) + v1 * b1[j]) + v2 * b2[j]) + v3 * b3[j];
                    }
                }
                for (; p < last; p++) {
                    float v0 = v[p];
                    System.arraycopy(b, offset[p] + from, b0, 0, w);
                    for (int j = 0; j < w; j++) {
                        sum[j] += v0 * b0[j];
                    }
                }
                out.put(r * n + from, sum, 0, w);
            }
        }
    }

    /** Rows {@code [first, end)} of {@code out = A × b} for float64; {@code v} holds A's values in row order. */
    static void doubles(CsrRows rows, double[] v, double[] b, int n, DoubleBuffer out, int first, int end) {
        int width = Math.min(n, TILE);
        double[] sum = new double[width];
        double[] b0 = new double[width];
        double[] b1 = new double[width];
        double[] b2 = new double[width];
        double[] b3 = new double[width];
        int[] indptr = rows.indptr;
        int[] offset = rows.columnOffset;
        for (int r = first; r < end; r++) {
            for (int from = 0; from < n; from += width) {
                int w = Math.min(width, n - from);
                Arrays.fill(sum, 0, w, 0d);
                int p = indptr[r];
                int last = indptr[r + 1];
                for (; p + GROUP <= last; p += GROUP) {
                    double v0 = v[p];
                    double v1 = v[p + 1];
                    double v2 = v[p + 2];
                    double v3 = v[p + 3];
                    System.arraycopy(b, offset[p] + from, b0, 0, w);
                    System.arraycopy(b, offset[p + 1] + from, b1, 0, w);
                    System.arraycopy(b, offset[p + 2] + from, b2, 0, w);
                    System.arraycopy(b, offset[p + 3] + from, b3, 0, w);
                    for (int j = 0; j < w; j++) {
                        sum[j] = (((sum[j] + v0 * b0[j]) + v1 * b1[j]) + v2 * b2[j]) + v3 * b3[j];
                    }
                }
                for (; p < last; p++) {
                    double v0 = v[p];
                    System.arraycopy(b, offset[p] + from, b0, 0, w);
                    for (int j = 0; j < w; j++) {
                        sum[j] += v0 * b0[j];
                    }
                }
                out.put(r * n + from, sum, 0, w);
            }
        }
    }
}
