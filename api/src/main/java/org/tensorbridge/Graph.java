package org.tensorbridge;

/**
 * A graph of symbolic operations on one {@link Backend}: placeholders, constants, and the same
 * dense and sparse operations as eager mode. Build it, then run it with a {@link Session}; the same
 * program gives the same values eagerly and through a session.
 *
 * <p>Operations check dtypes and known shapes when the node is added (a mismatch fails here, not at
 * run time); unknown ({@code -1}) dimensions are checked when fed. Nodes of another graph are
 * refused.
 *
 * <h2>Lifetime and thread-safety</h2>
 * Adding nodes and running sessions may happen from several threads. A constant holds a reference
 * to its tensor's memory until the graph is closed; the caller may close the tensor. Closing the
 * graph releases its constants; its sessions then refuse to run, and adding nodes throws
 * {@link ClosedResourceException}.
 */
public interface Graph extends AutoCloseable {
    /** The backend that runs this graph. */
    Backend backend();

    /**
     * A dense placeholder: a value fed at run time. {@code dims} may hold {@code -1} for sizes fixed
     * by the feed.
     */
    Symbol placeholder(String name, DType dtype, long... dims);

    /** A sparse placeholder, fed with a {@link SparseValue} or a {@link SparseTensor}. */
    SparseSymbol sparsePlaceholder(String name, DType dtype, long... denseDims);

    /** A constant holding {@code value}'s memory (no copy); {@code value} may be closed afterwards. */
    Symbol constant(Tensor value);

    /** A rank-0 constant. */
    Symbol scalar(DType dtype, Number value);

    /** {@code a + b}, broadcast. */
    Symbol add(Symbol a, Symbol b);

    /** {@code a + scalar}. */
    Symbol add(Symbol a, Number scalar);

    /** {@code a - b}, broadcast. */
    Symbol subtract(Symbol a, Symbol b);

    /** {@code a - scalar}. */
    Symbol subtract(Symbol a, Number scalar);

    /** {@code a * b}, broadcast. */
    Symbol multiply(Symbol a, Symbol b);

    /** {@code a * scalar}. */
    Symbol multiply(Symbol a, Number scalar);

    /** {@code a / b}, broadcast. */
    Symbol divide(Symbol a, Symbol b);

    /** {@code a / scalar}. */
    Symbol divide(Symbol a, Number scalar);

    /** Matrix product of rank-2 symbols. */
    Symbol matmul(Symbol a, Symbol b);

    /** A reshape; one dimension may be {@code -1}. */
    Symbol reshape(Symbol a, long... dims);

    /** Elements converted to {@code dtype}. */
    Symbol cast(Symbol a, DType dtype);

    /** Non-zero elements of a dense symbol as a sparse one. */
    SparseSymbol toSparse(Symbol dense);

    /** The dense form, refused at run time past {@code maxElements}. */
    Symbol toDense(SparseSymbol a, long maxElements);

    /** Sorted, duplicates summed. */
    SparseSymbol coalesce(SparseSymbol a);

    /** Sparse times dense: a dense result. */
    Symbol matmul(SparseSymbol a, Symbol b);

    /** Sparse plus sparse. */
    SparseSymbol add(SparseSymbol a, SparseSymbol b);

    /** Sparse times a scalar. */
    SparseSymbol multiply(SparseSymbol a, Number scalar);

    /** Transpose of a rank-2 sparse symbol. */
    SparseSymbol transpose(SparseSymbol a);

    /** Dense sum along {@code axis}. */
    Symbol sum(SparseSymbol a, int axis);

    /** A session that runs this graph. The caller closes it. */
    Session newSession();

    /** True once {@link #close()} has run. */
    boolean isClosed();

    /** Releases the constants. Idempotent. */
    @Override
    void close();
}
