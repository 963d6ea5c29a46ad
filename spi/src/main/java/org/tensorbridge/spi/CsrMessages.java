package org.tensorbridge.spi;

/**
 * The words of the two refusals of a CSR matrix's parts, shared by the host check in
 * {@link AbstractBackend#csrToCoo} and any device backend's own, so that every backend refuses the same
 * input with the same message. Stateless.
 */
public final class CsrMessages {
    private CsrMessages() {
    }

    /**
     * For an {@link IllegalArgumentException}: {@code indptr[row]} is {@code value}, breaking CSR's rules
     * (start at 0, never decrease, end at nnz); {@code previous} is {@code indptr[row - 1]} (ignored for
     * row 0).
     */
    public static String badIndptr(long row, long value, long previous, long nnz) {
        return "indptr[" + row + "] is " + value + "; indptr must start at 0, never decrease, and end at nnz = " + nnz
                + (row > 0 ? " (indptr[" + (row - 1) + "] is " + previous + ")" : "");
    }

    /** For an {@link IndexOutOfBoundsException}: {@code columns[i]} is {@code column}, outside the matrix. */
    public static String badColumn(long i, long column, long columnCount) {
        return "columns[" + i + "] is " + column + " but the matrix has " + columnCount + " columns; every column "
                + "index must be in [0, " + columnCount + ")";
    }
}
