package org.tensorbridge;

import java.util.Arrays;
import java.util.Optional;

/**
 * A dense symbolic value in a {@link Graph}: a placeholder, a constant or the result of an
 * operation. Unlike a {@link Tensor} it has no memory and no {@code toHost}; a {@link Session}
 * computes it, as TensorFlow 1's {@code Session.run} did.
 *
 * <p>{@link #dims()} may hold {@code -1} for sizes only known when a placeholder is fed. Immutable
 * and thread-safe.
 */
public non-sealed interface Symbol extends Node {
    /** Dimensions, {@code -1} where unknown until the graph runs. */
    long[] dims();

    /** The shape, if every dimension is known. */
    default Optional<Shape> shape() {
        long[] dims = dims();
        return Arrays.stream(dims).anyMatch(d -> d < 0) ? Optional.empty() : Optional.of(Shape.of(dims));
    }

    /**
     * Computes this symbol with the thread's default session ({@link Session#asDefault()}).
     *
     * @throws NoDefaultSessionException if this thread has no default session
     * @throws IllegalArgumentException if the default session runs another graph
     */
    default HostArray eval() {
        return DefaultSessions.require(this).run(this);
    }

    /** Computes this symbol with the thread's default session and {@code feeds}, as TF 1's {@code eval(feed_dict)}. */
    default HostArray eval(java.util.Map<? extends Node, ?> feeds) {
        return DefaultSessions.require(this).run(this, feeds);
    }

    /** Computes this symbol with {@code session}: {@code session.run(this)}. */
    default HostArray eval(Session session) {
        return session.run(this);
    }

    /** {@code graph().add(this, other)}. */
    default Symbol add(Symbol other) {
        return graph().add(this, other);
    }

    /** {@code graph().add(this, scalar)}. */
    default Symbol add(Number scalar) {
        return graph().add(this, scalar);
    }

    /** {@code graph().subtract(this, other)}. */
    default Symbol subtract(Symbol other) {
        return graph().subtract(this, other);
    }

    /** {@code graph().subtract(this, scalar)}. */
    default Symbol subtract(Number scalar) {
        return graph().subtract(this, scalar);
    }

    /** {@code graph().multiply(this, other)}. */
    default Symbol multiply(Symbol other) {
        return graph().multiply(this, other);
    }

    /** {@code graph().multiply(this, scalar)}. */
    default Symbol multiply(Number scalar) {
        return graph().multiply(this, scalar);
    }

    /** {@code graph().divide(this, other)}. */
    default Symbol divide(Symbol other) {
        return graph().divide(this, other);
    }

    /** {@code graph().divide(this, scalar)}. */
    default Symbol divide(Number scalar) {
        return graph().divide(this, scalar);
    }

    /** {@code graph().matmul(this, other)}. */
    default Symbol matmul(Symbol other) {
        return graph().matmul(this, other);
    }

    /** {@code graph().reshape(this, dims)}. */
    default Symbol reshape(long... dims) {
        return graph().reshape(this, dims);
    }

    /** {@code graph().cast(this, dtype)}. */
    default Symbol cast(DType dtype) {
        return graph().cast(this, dtype);
    }
}
