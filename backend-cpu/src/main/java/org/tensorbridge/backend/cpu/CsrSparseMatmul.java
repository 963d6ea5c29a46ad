package org.tensorbridge.backend.cpu;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.tensorbridge.DType;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.spi.HostSparseKernels;
import org.tensorbridge.spi.KernelCall;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.spi.SparseOperand;

/**
 * Sparse × dense for float32 and float64 as CSR row loops: the COO operand's entries are read in row
 * order ({@link CsrRows}: in place when they already are in row order, as a canonical operand's are,
 * else sorted into a copy once per product), the dense operand is read into Java arrays (one array per
 * row when it is wide enough to vectorise over), the rows are computed by
 * {@link CsrRowProduct}'s vectorisable loops, and blocks of rows run on the common fork-join pool when the
 * work is large enough to pay for it. Each output row is accumulated in one thread in the entries' order
 * within the row, the order the generic {@link HostSparseKernels#matmul} adds them in, so the results are
 * the same bit for bit. Other dtypes, and dense operands too large for one Java array, go to that generic
 * kernel. Stateless and thread-safe.
 */
final class CsrSparseMatmul {
    /** Multiply-adds below which one thread does the whole product: splitting costs more than it saves. */
    private static final long PARALLEL_MIN_WORK = 1L << 20;
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
        CsrRows rows = CsrRows.of(a);
        int width = (int) n;
        boolean wide = width >= CsrRowProduct.WIDE_MIN_COLUMNS;
        // Wide products read the dense operand as one array per row, narrow ones as one array (CsrRowProduct).
        if (a.dtype() == DType.FLOAT32) {
            FloatBuffer dense = memory(b).asFloatBuffer();
            FloatBuffer out = memory(result).asFloatBuffer();
            float[][] rowsOfB;
            float[] flatB;
            if (wide) {
                rowsOfB = new float[(int) k][width];
                for (int c = 0; c < k; c++) {
                    dense.get(c * width, rowsOfB[c]);
                }
                flatB = null;
            } else {
                rowsOfB = null;
                flatB = new float[(int) (k * n)];
                dense.get(0, flatB);
            }
            forEachBlock(rows, width, (first, end) -> rows.visitRows(first, end,
                    new CsrRowProduct.Floats(rows, rowsOfB, flatB, width, out)));
        } else {
            DoubleBuffer dense = memory(b).asDoubleBuffer();
            DoubleBuffer out = memory(result).asDoubleBuffer();
            double[][] rowsOfB;
            double[] flatB;
            if (wide) {
                rowsOfB = new double[(int) k][width];
                for (int c = 0; c < k; c++) {
                    dense.get(c * width, rowsOfB[c]);
                }
                flatB = null;
            } else {
                rowsOfB = null;
                flatB = new double[(int) (k * n)];
                dense.get(0, flatB);
            }
            forEachBlock(rows, width, (first, end) -> rows.visitRows(first, end,
                    new CsrRowProduct.Doubles(rows, rowsOfB, flatB, width, out)));
        }
    }

    private interface RowBlock {
        void compute(int firstRow, int endRow);
    }

    /** Runs {@code block} over every row, in parallel blocks when the product is large. */
    private static void forEachBlock(CsrRows rows, int n, RowBlock block) {
        int rowCount = rows.rowCount();
        if ((long) rows.nnz() * n < PARALLEL_MIN_WORK) {
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
}
