package org.tensorbridge.backend.cpu;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The inner loops of CSR × dense: rows of the product, each accumulated over its row's entries in row
 * order, so every output element is {@code ((0 + v0·b0) + v1·b1) + …} in the generic kernel's order. Each
 * loop is a {@link CsrRows.RowSink} fed by {@link CsrRows#visitRows}, which hands it the entries' columns in
 * chunks; the sink reads the same chunk of values into an array of its own.
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
 * <p>{@link Floats} and {@link Doubles} are the same code for two primitive types: Java has no primitive
 * generics, and a boxed or generic loop would not vectorise.
 *
 * <p>Each sink is used by one thread for one block of rows; blocks on disjoint rows may run in parallel.
 */
final class CsrRowProduct {
    /** Output columns from which the dense operand is split into one array per row. */
    static final int WIDE_MIN_COLUMNS = 16;
    /** Output columns per tile: 8 KiB of float64 accumulator. */
    private static final int TILE = 1024;

    private CsrRowProduct() {
    }

    /**
     * float32 rows of {@code out = A × b}: {@code rowsOfB[c]} is the dense operand's row c (wide), or, when
     * that is null, {@code flatB} holds the whole operand (narrow).
     */
    static final class Floats implements CsrRows.RowSink {
        private final FloatBuffer values;
        private final float[][] rowsOfB;
        private final float[] flatB;
        private final FloatBuffer out;
        private final float[] sum;
        private final float[] v;

        Floats(CsrRows rows, float[][] rowsOfB, float[] flatB, int n, FloatBuffer out) {
            this.values = rows.values().asFloatBuffer();
            this.rowsOfB = rowsOfB;
            this.flatB = flatB;
            this.out = out;
            this.sum = new float[n];
            this.v = new float[CsrRows.CHUNK_ENTRIES];
        }

        @Override
        public void chunk(int firstEntry, int count) {
            values.get(firstEntry, v, 0, count);
        }

        @Override
        public void beginRow(int row) {
            Arrays.fill(sum, 0f);
        }

        @Override
        public void entries(int[] column, int from, int to) {
            if (rowsOfB != null) {
                wide(column, from, to);
            } else {
                narrow(column, from, to);
            }
        }

        private void wide(int[] column, int from, int to) {
            float[] sum = this.sum;
            float[] v = this.v;
            float[][] b = this.rowsOfB;
            int n = sum.length;
            for (int tile = 0; tile < n; tile += TILE) {
                int tileEnd = Math.min(n, tile + TILE);
                int p = from;
                for (; p + 4 <= to; p += 4) {
                    float v0 = v[p];
                    float v1 = v[p + 1];
                    float v2 = v[p + 2];
                    float v3 = v[p + 3];
                    float[] b0 = b[column[p]];
                    float[] b1 = b[column[p + 1]];
                    float[] b2 = b[column[p + 2]];
                    float[] b3 = b[column[p + 3]];
                    for (int j = tile; j < tileEnd; j++) {
                        sum[j] = (((sum[j] + v0 * b0[j]) + v1 * b1[j]) + v2 * b2[j]) + v3 * b3[j];
                    }
                }
                for (; p < to; p++) {
                    float v0 = v[p];
                    float[] b0 = b[column[p]];
                    for (int j = tile; j < tileEnd; j++) {
                        sum[j] += v0 * b0[j];
                    }
                }
            }
        }

        private void narrow(int[] column, int from, int to) {
            float[] sum = this.sum;
            float[] b = this.flatB;
            int n = sum.length;
            for (int p = from; p < to; p++) {
                float value = v[p];
                int offset = column[p] * n;
                for (int j = 0; j < n; j++) {
                    sum[j] += value * b[offset + j];
                }
            }
        }

        @Override
        public void endRow(int row) {
            out.put(row * sum.length, sum);
        }
    }

    /**
     * float64 rows of {@code out = A × b}: {@code rowsOfB[c]} is the dense operand's row c (wide), or, when
     * that is null, {@code flatB} holds the whole operand (narrow).
     */
    static final class Doubles implements CsrRows.RowSink {
        private final DoubleBuffer values;
        private final double[][] rowsOfB;
        private final double[] flatB;
        private final DoubleBuffer out;
        private final double[] sum;
        private final double[] v;

        Doubles(CsrRows rows, double[][] rowsOfB, double[] flatB, int n, DoubleBuffer out) {
            this.values = rows.values().asDoubleBuffer();
            this.rowsOfB = rowsOfB;
            this.flatB = flatB;
            this.out = out;
            this.sum = new double[n];
            this.v = new double[CsrRows.CHUNK_ENTRIES];
        }

        @Override
        public void chunk(int firstEntry, int count) {
            values.get(firstEntry, v, 0, count);
        }

        @Override
        public void beginRow(int row) {
            Arrays.fill(sum, 0d);
        }

        @Override
        public void entries(int[] column, int from, int to) {
            if (rowsOfB != null) {
                wide(column, from, to);
            } else {
                narrow(column, from, to);
            }
        }

        private void wide(int[] column, int from, int to) {
            double[] sum = this.sum;
            double[] v = this.v;
            double[][] b = this.rowsOfB;
            int n = sum.length;
            for (int tile = 0; tile < n; tile += TILE) {
                int tileEnd = Math.min(n, tile + TILE);
                int p = from;
                for (; p + 4 <= to; p += 4) {
                    double v0 = v[p];
                    double v1 = v[p + 1];
                    double v2 = v[p + 2];
                    double v3 = v[p + 3];
                    double[] b0 = b[column[p]];
                    double[] b1 = b[column[p + 1]];
                    double[] b2 = b[column[p + 2]];
                    double[] b3 = b[column[p + 3]];
                    for (int j = tile; j < tileEnd; j++) {
                        sum[j] = (((sum[j] + v0 * b0[j]) + v1 * b1[j]) + v2 * b2[j]) + v3 * b3[j];
                    }
                }
                for (; p < to; p++) {
                    double v0 = v[p];
                    double[] b0 = b[column[p]];
                    for (int j = tile; j < tileEnd; j++) {
                        sum[j] += v0 * b0[j];
                    }
                }
            }
        }

        private void narrow(int[] column, int from, int to) {
            double[] sum = this.sum;
            double[] b = this.flatB;
            int n = sum.length;
            for (int p = from; p < to; p++) {
                double value = v[p];
                int offset = column[p] * n;
                for (int j = 0; j < n; j++) {
                    sum[j] += value * b[offset + j];
                }
            }
        }

        @Override
        public void endRow(int row) {
            out.put(row * sum.length, sum);
        }
    }
}
