package org.tensorbridge.backend.cpu;

import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import org.tensorbridge.memory.CsrLayout;

/**
 * A rank-2 COO operand's entries in row order, as the CSR row loops read them: row pointers, each entry's
 * column (the row of the dense operand it multiplies), and, when the COO entries are not
 * already in row order, each entry's position among them. Built once per product, linear in nnz when the
 * entries are in row order (a canonical operand always is) and a stable sort of the rows otherwise, so
 * entries of one row keep their COO order: the order the generic kernel adds them in. Immutable.
 */
final class CsrRows {
    /** Index pairs read per bulk copy: 64 KiB, so the chunk stays in the second-level cache. */
    private static final int CHUNK_PAIRS = 4096;

    /** {@code rows + 1} row pointers into the row-ordered entries. */
    final int[] indptr;
    /** Per row-ordered entry: its column. */
    final int[] column;
    /** Per row-ordered entry: its position in the COO operand; null when that is the same position. */
    final int[] source;

    private CsrRows(int[] indptr, int[] column, int[] source) {
        this.indptr = indptr;
        this.column = column;
        this.source = source;
    }

    /** The row order of {@code nnz} native-order int64 {@code (row, column)} pairs in {@code indices}. */
    static CsrRows of(ByteBuffer indices, int nnz, int rows) {
        LongBuffer pairs = indices.asLongBuffer();
        int[] indptr = new int[rows + 1];
        int[] column = new int[nnz];
        // Read in chunks: a bulk copy and a plain loop cost far less than a checked buffer read per index.
        long[] chunk = new long[2 * Math.min(nnz, CHUNK_PAIRS)];
        long previousRow = 0;
        for (int start = 0; start < nnz; start += CHUNK_PAIRS) {
            int count = Math.min(CHUNK_PAIRS, nnz - start);
            pairs.get(2 * start, chunk, 0, 2 * count);
            for (int i = 0; i < count; i++) {
                long row = chunk[2 * i];
                if (row < previousRow) {
                    return sorted(indices, nnz, rows);
                }
                previousRow = row;
                indptr[(int) row + 1]++;
                column[start + i] = (int) chunk[2 * i + 1];
            }
        }
        for (int r = 0; r < rows; r++) {
            indptr[r + 1] += indptr[r];
        }
        return new CsrRows(indptr, column, null);
    }

    private static CsrRows sorted(ByteBuffer indices, int nnz, int rows) {
        int[][] order = new int[1][];
        long[] pointers = CsrLayout.indptr(indices, nnz, rows, order);
        int[] indptr = new int[pointers.length];
        for (int r = 0; r < pointers.length; r++) {
            indptr[r] = (int) pointers[r];
        }
        int[] source = order[0];
        int[] column = new int[nnz];
        for (int p = 0; p < nnz; p++) {
            column[p] = (int) indices.getLong((2 * source[p] + 1) * Long.BYTES);
        }
        return new CsrRows(indptr, column, source);
    }

    int rowCount() {
        return indptr.length - 1;
    }

    int nnz() {
        return column.length;
    }
}
