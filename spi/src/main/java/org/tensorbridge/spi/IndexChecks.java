package org.tensorbridge.spi;

import org.tensorbridge.Shape;

/**
 * The checks of a new sparse tensor's parts (optional; the default, {@link HostIndexChecks}, reads them
 * on the host). Each returns a structured answer that the base words into the message every backend
 * gives, so a device backend needs to bring back only a few scalars, never the indices.
 *
 * <p>Implementations must be thread-safe; operands are pinned for the call.
 */
public interface IndexChecks {
    /** The first index of {@code indices} ({@code int64 [nnz, rank]}) outside {@code denseShape}, or null. */
    InvalidIndex firstInvalidIndex(Operand indices, Shape denseShape);

    /** True if {@code indices} are strictly increasing in row-major order (sorted, no duplicates). */
    boolean isCanonical(Operand indices, Shape denseShape);

    /**
     * Checks a CSR matrix's parts and, if they are valid, writes its COO indices ({@code int64 [nnz, 2]}:
     * row, column) into {@code coo}. {@code indptr} ({@code int64 [rows + 1]}) must start at 0, never
     * decrease and end at nnz; every column of {@code columns} ({@code int64 [nnz]}) must be in
     * {@code [0, columnCount)}. Returns the first problem, indptr first, with nothing written; or null.
     */
    CsrProblem csrToCoo(Operand indptr, Operand columns, long columnCount, Operand coo);

    /**
     * An index outside the dense shape.
     *
     * @param entry which stored element
     * @param axis which axis of it
     * @param value the index there
     */
    record InvalidIndex(long entry, int axis, long value) {
    }

    /** What is wrong with a CSR matrix's parts. */
    sealed interface CsrProblem {
    }

    /**
     * {@code indptr[row]} breaks CSR's rules.
     *
     * @param row the entry of indptr
     * @param value its value
     * @param previous {@code indptr[row - 1]} (ignored for row 0)
     * @param nnz the number of stored elements
     */
    record BadIndptr(long row, long value, long previous, long nnz) implements CsrProblem {
    }

    /**
     * {@code columns[entry]} is outside the matrix.
     *
     * @param entry the entry of columns
     * @param column its value
     * @param columnCount the matrix's columns
     */
    record BadColumn(long entry, long column, long columnCount) implements CsrProblem {
    }
}
