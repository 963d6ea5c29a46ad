package org.tensorbridge;

/**
 * The host form of a {@link SparseTensor}, as TensorFlow's {@code SparseTensorValue}: COO
 * {@link #indices()} ({@code int64 [nnz, rank]}), {@link #values()} ({@code [nnz]}) and the
 * {@link #denseShape()}, with whether the indices are {@link #isCanonical() canonical}.
 *
 * <p>The two arrays report their own sharing as dense host arrays do. They belong to this value:
 * closing it closes them (closing them directly is harmless too). {@link #toCsr()} gives the CSR
 * form of a rank-2 value. Immutable apart from writes through writable arrays; thread-safe like
 * {@link HostArray}.
 */
public interface SparseValue extends AutoCloseable {
    /** {@code int64 [nnz, rank]}: row {@code i} is the index of the {@code i}-th stored element. */
    HostArray indices();

    /** {@code [nnz]}: the stored elements, in the order of {@link #indices()}. */
    HostArray values();

    /** The dense shape. */
    Shape denseShape();

    /** Element type of the values. */
    default DType dtype() {
        return values().dtype();
    }

    /** Number of stored elements. */
    default long nnz() {
        return values().shape().dim(0);
    }

    /** True if indices are row-major sorted without duplicates. */
    boolean isCanonical();

    /**
     * The CSR form of a rank-2 value: {@code indptr} ({@code int64 [rows + 1]}), column indices and
     * values, rows in order and each row's elements in their order here (duplicates kept). The
     * caller closes it.
     *
     * @throws ShapeMismatchException if the dense shape is not rank 2
     */
    CsrValue toCsr();

    /** True once {@link #close()} has run. */
    boolean isClosed();

    /** Closes both arrays. Idempotent. */
    @Override
    void close();
}
