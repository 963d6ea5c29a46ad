package org.tensorbridge.backend.cpu;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The inner loops of CSR × dense: rows of the product, each accumulated over its row's entries in row
 * order, so every output element is {@code ((0 + v0·b0) + v1·b1) + …} in the generic kernel's order.
 *
 * <p>Why the loops look the way they do. HotSpot's C2 (JDK 17) turns an accumulation loop into SIMD code
 * only when it can order every load against every store of the loop. It can for different arrays read and
 * written at the same index ({@code sum[j]} against {@code row[j]}), not for an index shifted by a run-time
 * amount ({@code sum[j]} against {@code b[column × n + j]}): that loop runs one element at a time. So the
 * wide loops take the dense operand as one Java array per row ({@code b[column][j]}), split once per
 * product, and fold four entries in per pass, loading and storing the accumulator once per four
 * multiply-adds. Columns are done in tiles so the accumulator's tile stays in the first-level cache for
 * any {@code n}. Narrow products ({@code n} below {@link #WIDE_MIN_COLUMNS}) keep the dense operand in one
 * array: there is little to vectorise, and one array per row would cost more memory than it holds.
 *
 * <p>Stateless; each call allocates its own accumulator, so calls on disjoint rows may run in parallel.
 */
final class CsrRowProduct {
    /** Output columns from which the dense operand is split into one array per row. */
    static final int WIDE_MIN_COLUMNS = 16;
    /** Output columns per tile: 8 KiB of float64 accumulator. */
    private static final int TILE = 1024;

    private CsrRowProduct() {
    }

    /** Rows {@code [first, end)} of {@code out = A × b} for float32; {@code b[c]} is the dense operand's row c. */
    static void floats(CsrRows rows, float[] v, float[][] b, int n, FloatBuffer out, int first, int end) {
        float[] sum = new float[n];
        int[] indptr = rows.indptr;
        int[] column = rows.column;
        for (int r = first; r < end; r++) {
            int start = indptr[r];
            int last = indptr[r + 1];
            for (int from = 0; from < n; from += TILE) {
                int to = Math.min(n, from + TILE);
                Arrays.fill(sum, from, to, 0f);
                int p = start;
                for (; p + 4 <= last; p += 4) {
                    float v0 = v[p];
                    float v1 = v[p + 1];
                    float v2 = v[p + 2];
                    float v3 = v[p + 3];
                    float[] b0 = b[column[p]];
                    float[] b1 = b[column[p + 1]];
                    float[] b2 = b[column[p + 2]];
                    float[] b3 = b[column[p + 3]];
                    for (int j = from; j < to; j++) {
                        sum[j] = (((sum[j] + v0 * b0[j]) + v1 * b1[j]) + v2 * b2[j]) + v3 * b3[j];
                    }
                }
                for (; p < last; p++) {
                    float v0 = v[p];
                    float[] b0 = b[column[p]];
                    for (int j = from; j < to; j++) {
                        sum[j] += v0 * b0[j];
                    }
                }
            }
            out.put(r * n, sum);
        }
    }

    /** Rows {@code [first, end)} of {@code out = A × b} for float32 and narrow {@code b} in one array. */
    static void narrowFloats(CsrRows rows, float[] v, float[] b, int n, FloatBuffer out, int first, int end) {
        float[] sum = new float[n];
        for (int r = first; r < end; r++) {
            Arrays.fill(sum, 0f);
            for (int p = rows.indptr[r]; p < rows.indptr[r + 1]; p++) {
                float value = v[p];
                int offset = rows.column[p] * n;
                for (int j = 0; j < n; j++) {
                    sum[j] += value * b[offset + j];
                }
            }
            out.put(r * n, sum);
        }
    }

    /** Rows {@code [first, end)} of {@code out = A × b} for float64; {@code b[c]} is the dense operand's row c. */
    static void doubles(CsrRows rows, double[] v, double[][] b, int n, DoubleBuffer out, int first, int end) {
        double[] sum = new double[n];
        int[] indptr = rows.indptr;
        int[] column = rows.column;
        for (int r = first; r < end; r++) {
            int start = indptr[r];
            int last = indptr[r + 1];
            for (int from = 0; from < n; from += TILE) {
                int to = Math.min(n, from + TILE);
                Arrays.fill(sum, from, to, 0d);
                int p = start;
                for (; p + 4 <= last; p += 4) {
                    double v0 = v[p];
                    double v1 = v[p + 1];
                    double v2 = v[p + 2];
                    double v3 = v[p + 3];
                    double[] b0 = b[column[p]];
                    double[] b1 = b[column[p + 1]];
                    double[] b2 = b[column[p + 2]];
                    double[] b3 = b[column[p + 3]];
                    for (int j = from; j < to; j++) {
                        sum[j] = (((sum[j] + v0 * b0[j]) + v1 * b1[j]) + v2 * b2[j]) + v3 * b3[j];
                    }
                }
                for (; p < last; p++) {
                    double v0 = v[p];
                    double[] b0 = b[column[p]];
                    for (int j = from; j < to; j++) {
                        sum[j] += v0 * b0[j];
                    }
                }
            }
            out.put(r * n, sum);
        }
    }

    /** Rows {@code [first, end)} of {@code out = A × b} for float64 and narrow {@code b} in one array. */
    static void narrowDoubles(CsrRows rows, double[] v, double[] b, int n, DoubleBuffer out, int first, int end) {
        double[] sum = new double[n];
        for (int r = first; r < end; r++) {
            Arrays.fill(sum, 0d);
            for (int p = rows.indptr[r]; p < rows.indptr[r + 1]; p++) {
                double value = v[p];
                int offset = rows.column[p] * n;
                for (int j = 0; j < n; j++) {
                    sum[j] += value * b[offset + j];
                }
            }
            out.put(r * n, sum);
        }
    }
}
