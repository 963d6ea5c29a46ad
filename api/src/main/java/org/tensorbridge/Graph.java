package org.tensorbridge;

import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;

/**
 * A graph of symbolic operations on one {@link Backend}: placeholders, constants, and the same
 * dense and sparse operations as eager mode, each a node of an {@link Operation} added by
 * {@link #apply} (the named methods forward to it). Build it, then run it with a {@link Session}; the same
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

    /**
     * A node of {@code operation} on {@code inputs} (nodes of this graph, dense or sparse as the
     * operation's inputs are), for an operation whose result is dense. Dtypes and known dimensions are
     * checked now by the operation's rules; unknown ones when the graph runs.
     */
    Symbol apply(Operation operation, Attributes attributes, Node... inputs);

    /** {@link #apply} for an operation whose result is sparse. */
    SparseSymbol applySparse(Operation operation, Attributes attributes, Node... inputs);

    /** A binary elementwise {@code operation} with a scalar constant second operand of {@code a}'s dtype. */
    default Symbol apply(Operation operation, Symbol a, Number scalar) {
        return apply(operation, Attributes.NONE, a, scalarOperand(operation, a.dtype(), scalar));
    }

    private Symbol scalarOperand(Operation operation, DType dtype, Number scalar) {
        try {
            return scalar(dtype, scalar);
        } catch (DTypeMismatchException e) {
            throw new DTypeMismatchException(operation.name() + "(a, scalar): the scalar " + e.getMessage(), e);
        }
    }

    /** {@code a + b}, broadcast. */
    default Symbol add(Symbol a, Symbol b) {
        return apply(Operations.ADD, Attributes.NONE, a, b);
    }

    /** {@code a + scalar}. */
    default Symbol add(Symbol a, Number scalar) {
        return apply(Operations.ADD, a, scalar);
    }

    /** {@code a - b}, broadcast. */
    default Symbol subtract(Symbol a, Symbol b) {
        return apply(Operations.SUBTRACT, Attributes.NONE, a, b);
    }

    /** {@code a - scalar}. */
    default Symbol subtract(Symbol a, Number scalar) {
        return apply(Operations.SUBTRACT, a, scalar);
    }

    /** {@code a * b}, broadcast. */
    default Symbol multiply(Symbol a, Symbol b) {
        return apply(Operations.MULTIPLY, Attributes.NONE, a, b);
    }

    /** {@code a * scalar}. */
    default Symbol multiply(Symbol a, Number scalar) {
        return apply(Operations.MULTIPLY, a, scalar);
    }

    /** {@code a / b}, broadcast. */
    default Symbol divide(Symbol a, Symbol b) {
        return apply(Operations.DIVIDE, Attributes.NONE, a, b);
    }

    /** {@code a / scalar}. */
    default Symbol divide(Symbol a, Number scalar) {
        return apply(Operations.DIVIDE, a, scalar);
    }

    /** Matrix product of rank-2 symbols. */
    default Symbol matmul(Symbol a, Symbol b) {
        return apply(Operations.MATMUL, Attributes.NONE, a, b);
    }

    /** A reshape; one dimension may be {@code -1}. */
    default Symbol reshape(Symbol a, long... dims) {
        return apply(Operations.RESHAPE, Attributes.of(Attribute.DIMS, dims), a);
    }

    /** Elements converted to {@code dtype}. */
    default Symbol cast(Symbol a, DType dtype) {
        return apply(Operations.CAST, Attributes.of(Attribute.DTYPE, dtype), a);
    }

    /** Non-zero elements of a dense symbol as a sparse one. */
    default SparseSymbol toSparse(Symbol dense) {
        return applySparse(Operations.TO_SPARSE, Attributes.NONE, dense);
    }

    /** The dense form, refused at run time past {@code maxElements}. */
    default Symbol toDense(SparseSymbol a, long maxElements) {
        return apply(Operations.TO_DENSE, Attributes.of(Attribute.MAX_ELEMENTS, maxElements), a);
    }

    /** Sorted, duplicates summed. */
    default SparseSymbol coalesce(SparseSymbol a) {
        return applySparse(Operations.COALESCE, Attributes.NONE, a);
    }

    /** Sparse times dense: a dense result. */
    default Symbol matmul(SparseSymbol a, Symbol b) {
        return apply(Operations.SPARSE_MATMUL, Attributes.NONE, a, b);
    }

    /** Sparse plus sparse. */
    default SparseSymbol add(SparseSymbol a, SparseSymbol b) {
        return applySparse(Operations.SPARSE_ADD, Attributes.NONE, a, b);
    }

    /** Sparse times a scalar. */
    default SparseSymbol multiply(SparseSymbol a, Number scalar) {
        return applySparse(Operations.SPARSE_MULTIPLY, Attributes.NONE, a,
                scalarOperand(Operations.SPARSE_MULTIPLY, a.dtype(), scalar));
    }

    /** Transpose of a rank-2 sparse symbol. */
    default SparseSymbol transpose(SparseSymbol a) {
        return applySparse(Operations.SPARSE_TRANSPOSE, Attributes.NONE, a);
    }

    /** Dense sum along {@code axis}. */
    default Symbol sum(SparseSymbol a, int axis) {
        return apply(Operations.SPARSE_SUM, Attributes.of(Attribute.AXIS, axis), a);
    }

    /** A session that runs this graph. The caller closes it. */
    Session newSession();

    /** True once {@link #close()} has run. */
    boolean isClosed();

    /** Releases the constants. Idempotent. */
    @Override
    void close();
}
