package org.tensorbridge;

/**
 * Compressed sparse row form of a rank-2 sparse value, as SciPy's {@code csr_matrix}: the elements
 * of row {@code r} are at positions {@code indptr[r]} to {@code indptr[r + 1] - 1} of
 * {@link #indices()} (their columns) and {@link #values()}.
 *
 * <p>{@code indptr} is always computed, so {@link Sharing#INDEPENDENT}; the column and value arrays
 * report their own sharing. The arrays belong to this value and close with it. Thread-safe like
 * {@link HostArray}.
 */
public interface CsrValue extends AutoCloseable {
    /** {@code int64 [rows + 1]}. */
    HostArray indptr();

    /** {@code int64 [nnz]}: the column of each element. */
    HostArray indices();

    /** {@code [nnz]}: the elements. */
    HostArray values();

    /** The dense shape {@code [rows, columns]}. */
    Shape denseShape();

    /** True if rows' columns are sorted without duplicates. */
    boolean isCanonical();

    /** Closes the three arrays. Idempotent. */
    @Override
    void close();
}
