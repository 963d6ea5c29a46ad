package org.tensorbridge.memory;

import java.nio.ByteBuffer;

/**
 * The CSR row pointers of rank-2 COO indices, and the order that sorts the entries by row: what a
 * {@link org.tensorbridge.SparseValue} needs for its CSR form. Stateless.
 */
public final class CsrLayout {
    private CsrLayout() {
    }

    /**
     * The row pointers ({@code rows + 1} entries) of {@code nnz} COO index pairs {@code (row, column)}
     * in {@code indices} (native-order int64); {@code orderOut[0]} receives the stable permutation
     * that sorts the entries by row, or null when they already are.
     */
    public static long[] indptr(ByteBuffer indices, int nnz, long rows, int[][] orderOut) {
        long[] rowOf = new long[nnz];
        boolean byRow = true;
        for (int i = 0; i < nnz; i++) {
            rowOf[i] = indices.getLong(2 * i * Long.BYTES);
            if (i > 0 && rowOf[i - 1] > rowOf[i]) {
                byRow = false;
            }
        }
        long[] indptr = new long[Math.toIntExact(rows + 1)];
        for (long row : rowOf) {
            indptr[(int) row + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            indptr[r + 1] += indptr[r];
        }
        orderOut[0] = byRow ? null : StableOrder.of(rowOf);
        return indptr;
    }
}
