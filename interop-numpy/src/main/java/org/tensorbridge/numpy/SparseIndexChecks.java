package org.tensorbridge.numpy;

/**
 * The checks {@link Npz#read} makes on a SciPy matrix's index arrays before a backend sees them, so that
 * a malformed archive is refused as one ({@link NpyFormatException}, naming the array, the position and
 * the value), whatever backend reads it. Stateless.
 */
final class SparseIndexChecks {
    private SparseIndexChecks() {
    }

    /** COO: {@code row} and {@code col} of one length, each entry inside the shape. */
    static void checkCoo(long[] rows, long[] columns, long[] shape) {
        if (rows.length != columns.length) {
            throw new NpyFormatException("arrays 'row' and 'col' differ in length (" + rows.length + " and "
                    + columns.length + ")");
        }
        checkRange("row", rows, shape[0], "dense shape", shape);
        checkRange("col", columns, shape[1], "dense shape", shape);
    }

    /**
     * CSR: {@code indptr} of {@code rows + 1} entries, from 0, never decreasing, ending at the number of
     * stored elements; {@code indices} inside the columns.
     */
    static void checkCsr(long[] indptr, long[] indices, long nnz, long[] shape) {
        if (indptr.length - 1L != shape[0]) {
            throw new NpyFormatException("array 'indptr' has " + indptr.length + " entries but a matrix of shape "
                    + java.util.Arrays.toString(shape) + " needs " + shape[0] + " + 1 (rows + 1)");
        }
        if (indptr[0] != 0) {
            throw new NpyFormatException("array 'indptr' starts at " + indptr[0] + "; it starts at 0");
        }
        for (int i = 1; i < indptr.length; i++) {
            if (indptr[i] < indptr[i - 1]) {
                throw new NpyFormatException("array 'indptr' decreases from " + indptr[i - 1] + " to " + indptr[i]
                        + " at entry " + i + "; row boundaries never decrease");
            }
        }
        if (indptr[indptr.length - 1] != indices.length || indices.length != nnz) {
            throw new NpyFormatException("array 'indptr' ends at " + indptr[indptr.length - 1] + " but 'indices' has "
                    + indices.length + " entries and 'data' " + nnz + "; all three agree in a CSR matrix");
        }
        checkRange("indices", indices, shape[1], "columns of dense shape", shape);
    }

    private static void checkRange(String name, long[] values, long size, String what, long[] shape) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= size) {
                throw new NpyFormatException("array '" + name + "' holds " + values[i] + " at entry " + i + ", outside the "
                        + what + " " + java.util.Arrays.toString(shape) + "; every index is in [0, " + size + ")");
            }
        }
    }
}
