package org.tensorbridge.spi;

import org.tensorbridge.MalformedSparseException;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseIndexException;

/**
 * The words of the refusals of a new sparse tensor's parts, from the structured answers of any
 * backend's {@link IndexChecks}, so that every backend refuses the same input with the same message.
 * Stateless.
 */
final class IndexMessages {
    private IndexMessages() {
    }

    /** An index outside the dense shape. */
    static SparseIndexException invalidIndex(IndexChecks.InvalidIndex invalid, Shape denseShape) {
        long size = denseShape.dim(invalid.axis());
        return new SparseIndexException("indices[" + invalid.entry() + ", " + invalid.axis() + "] is " + invalid.value() + " but axis "
                + invalid.axis() + " of dense shape " + denseShape + " has size " + size + "; every index must be in [0, "
                + size + ")");
    }

    /** The exception for a CSR problem: malformed for indptr, an index one for columns. */
    static RuntimeException csr(IndexChecks.CsrProblem problem) {
        if (problem instanceof IndexChecks.BadIndptr bad) {
            return new MalformedSparseException("indptr[" + bad.row() + "] is " + bad.value() + "; indptr must start at "
                    + "0, never decrease, and end at nnz = " + bad.nnz()
                    + (bad.row() > 0 ? " (indptr[" + (bad.row() - 1) + "] is " + bad.previous() + ")" : ""));
        }
        IndexChecks.BadColumn bad = (IndexChecks.BadColumn) problem;
        return new SparseIndexException("columns[" + bad.entry() + "] is " + bad.column() + " but the matrix has "
                + bad.columnCount() + " columns; every column index must be in [0, " + bad.columnCount() + ")");
    }
}
