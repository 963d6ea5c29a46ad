package org.tensorbridge.backend.cpu;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.tensorbridge.DType;
import org.tensorbridge.memory.CsrLayout;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.spi.HostSparseKernels;
import org.tensorbridge.spi.KernelCall;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.spi.SparseOperand;

/**
 * Sparse × dense for float32 and float64 as CSR row loops: the COO operand is put in row order once
 * (row pointers, columns and values, linear in nnz), the dense operand is read into a Java array so
 * the inner {@code row += v × b[column]} loop vectorises, and blocks of rows run on the common fork-join
 * pool when the work is large enough to pay for it. Each output row is accumulated in one thread in
 * the entries' order within the row, the order the generic {@link HostSparseKernels#matmul} adds them in,
 * so the results are the same bit for bit. Other dtypes, and dense operands too large for one Java
 * array, go to that generic kernel. Stateless and thread-safe.
 */
final class CsrSparseMatmul {
    /** Multiply-adds below which one thread does the whole product: splitting costs more than it saves. */
    private static final long PARALLEL_MIN_WORK = 1L << 18;
    /** Rows per task: enough to amortise a task, few enough for the pool to balance uneven rows. */
    private static final int ROWS_PER_BLOCK = 64;
    /** The largest dense operand, in elements, read into a Java array (256 MiB of float64). */
    private static final long MAX_ARRAY_ELEMENTS = 1L << 25;

    private CsrSparseMatmul() {
    }

    static void run(KernelCall call, Operand result) {
        SparseOperand a = call.sparseInput(0);
        Operand b = call.input(1);
        long k = b.shape().dim(0);
        long n = b.shape().dim(1);
        if (k * n > MAX_ARRAY_ELEMENTS || (a.dtype() != DType.FLOAT32 && a.dtype() != DType.FLOAT64)) {
            HostSparseKernels.matmul(a, b, result);
            return;
        }
        RowOrder rows = RowOrder.of(a, (int) n);
        if (a.dtype() == DType.FLOAT32) {
            floats(rows, memory(a.values()), memory(b), (int) n, memory(result).asFloatBuffer());
        } else {
            doubles(rows, memory(a.values()), memory(b), (int) n, memory(result).asDoubleBuffer());
        }
    }

    private static void floats(RowOrder rows, ByteBuffer values, ByteBuffer dense, int n, FloatBuffer out) {
        float[] v = new float[rows.source.length];
        for (int p = 0; p < v.length; p++) {
            v[p] = values.getFloat(rows.source[p] * Float.BYTES);
        }
        FloatBuffer denseFloats = dense.asFloatBuffer();
        float[] b = new float[denseFloats.remaining()];
        denseFloats.get(0, b);
        forEachBlock(rows, n, (first, last) -> {
            float[] sum = new float[n];
            for (int r = first; r < last; r++) {
                Arrays.fill(sum, 0f);
                for (int p = rows.indptr[r]; p < rows.indptr[r + 1]; p++) {
                    float value = v[p];
                    int offset = rows.columnOffset[p];
                    for (int j = 0; j < n; j++) {
                        sum[j] += value * b[offset + j];
                    }
                }
                out.put(r * n, sum);
            }
        });
    }

    private static void doubles(RowOrder rows, ByteBuffer values, ByteBuffer dense, int n, DoubleBuffer out) {
        double[] v = new double[rows.source.length];
        for (int p = 0; p < v.length; p++) {
            v[p] = values.getDouble(rows.source[p] * Double.BYTES);
        }
        DoubleBuffer denseDoubles = dense.asDoubleBuffer();
        double[] b = new double[denseDoubles.remaining()];
        denseDoubles.get(0, b);
        forEachBlock(rows, n, (first, last) -> {
            double[] sum = new double[n];
            for (int r = first; r < last; r++) {
                Arrays.fill(sum, 0d);
                for (int p = rows.indptr[r]; p < rows.indptr[r + 1]; p++) {
                    double value = v[p];
                    int offset = rows.columnOffset[p];
                    for (int j = 0; j < n; j++) {
                        sum[j] += value * b[offset + j];
                    }
                }
                out.put(r * n, sum);
            }
        });
    }

    private interface RowBlock {
        void compute(int firstRow, int endRow);
    }

    /** Runs {@code block} over every row, in parallel blocks when the product is large. */
    private static void forEachBlock(RowOrder rows, int n, RowBlock block) {
        int rowCount = rows.indptr.length - 1;
        if ((long) rows.source.length * n < PARALLEL_MIN_WORK) {
            block.compute(0, rowCount);
            return;
        }
        int blocks = (rowCount + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
        // Every block writes rows of its own, so the tasks share nothing but the inputs they read.
        IntStream.range(0, blocks).parallel().forEach(i -> block.compute(i * ROWS_PER_BLOCK,
                Math.min(rowCount, (i + 1) * ROWS_PER_BLOCK)));
    }

    private static ByteBuffer memory(Operand operand) {
        return ((HostStorage) operand.storage()).transientBuffer();
    }

    /**
     * The entries in row order: row pointers, each entry's position in the COO operand, and its column
     * times {@code n} (the offset of its row of the dense operand).
     */
    private static final class RowOrder {
        final int[] indptr;
        final int[] source;
        final int[] columnOffset;

        private RowOrder(int[] indptr, int[] source, int[] columnOffset) {
            this.indptr = indptr;
            this.source = source;
            this.columnOffset = columnOffset;
        }

        static RowOrder of(SparseOperand a, int n) {
            ByteBuffer indices = memory(a.indices());
            int nnz = Math.toIntExact(a.nnz());
            int[][] order = new int[1][];
            long[] pointers = CsrLayout.indptr(indices, nnz, a.denseShape().dim(0), order);
            int[] indptr = new int[pointers.length];
            for (int r = 0; r < pointers.length; r++) {
                indptr[r] = (int) pointers[r];
            }
            int[] source = order[0] != null ? order[0] : IntStream.range(0, nnz).toArray();
            int[] columnOffset = new int[nnz];
            for (int p = 0; p < nnz; p++) {
                columnOffset[p] = (int) indices.getLong((2 * source[p] + 1) * Long.BYTES) * n;
            }
            return new RowOrder(indptr, source, columnOffset);
        }
    }
}
