package org.tensorbridge;

/**
 * A sparse symbolic value in a {@link Graph}. A {@link Session} computes it to a {@link SparseValue},
 * as TensorFlow 1 returned a {@code SparseTensorValue}. Immutable and thread-safe.
 */
public non-sealed interface SparseSymbol extends Node {
    /** The dense dimensions, {@code -1} where unknown until the graph runs. */
    long[] denseDims();

    /** Computes this symbol with the thread's default session. @throws NoDefaultSessionException if there is none */
    default SparseValue eval() {
        return DefaultSessions.require(this).run(this);
    }

    /** Computes this symbol with the thread's default session and {@code feeds}, as TF 1's {@code eval(feed_dict)}. */
    default SparseValue eval(java.util.Map<? extends Node, ?> feeds) {
        return DefaultSessions.require(this).run(this, feeds);
    }

    /** Computes this symbol with {@code session}. */
    default SparseValue eval(Session session) {
        return session.run(this);
    }

    /** {@code graph().coalesce(this)}. */
    default SparseSymbol coalesce() {
        return graph().coalesce(this);
    }

    /** {@code graph().matmul(this, dense)}. */
    default Symbol matmul(Symbol dense) {
        return graph().matmul(this, dense);
    }

    /** {@code graph().add(this, other)}. */
    default SparseSymbol add(SparseSymbol other) {
        return graph().add(this, other);
    }

    /** {@code graph().multiply(this, scalar)}. */
    default SparseSymbol multiply(Number scalar) {
        return graph().multiply(this, scalar);
    }

    /** {@code graph().transpose(this)}. */
    default SparseSymbol transpose() {
        return graph().transpose(this);
    }

    /** {@code graph().sum(this, axis)}. */
    default Symbol sum(int axis) {
        return graph().sum(this, axis);
    }

    /** {@code graph().toDense(this, maxElements)}. */
    default Symbol toDense(long maxElements) {
        return graph().toDense(this, maxElements);
    }
}
