package org.tensorbridge;

import java.util.Arrays;
import java.util.Optional;
import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;

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

    /** A node of {@code operation} on this symbol and {@code others}: {@code graph().apply(...)}. */
    default Symbol apply(Operation operation, Attributes attributes, Node... others) {
        Node[] inputs = new Node[others.length + 1];
        inputs[0] = this;
        System.arraycopy(others, 0, inputs, 1, others.length);
        return graph().apply(operation, attributes, inputs);
    }

    /** {@code this + other}. */
    default Symbol add(Symbol other) {
        return apply(Operations.ADD, Attributes.NONE, other);
    }

    /** {@code this + scalar}. */
    default Symbol add(Number scalar) {
        return graph().apply(Operations.ADD, this, scalar);
    }

    /** {@code this - other}. */
    default Symbol subtract(Symbol other) {
        return apply(Operations.SUBTRACT, Attributes.NONE, other);
    }

    /** {@code this - scalar}. */
    default Symbol subtract(Number scalar) {
        return graph().apply(Operations.SUBTRACT, this, scalar);
    }

    /** {@code this * other}. */
    default Symbol multiply(Symbol other) {
        return apply(Operations.MULTIPLY, Attributes.NONE, other);
    }

    /** {@code this * scalar}. */
    default Symbol multiply(Number scalar) {
        return graph().apply(Operations.MULTIPLY, this, scalar);
    }

    /** {@code this / other}. */
    default Symbol divide(Symbol other) {
        return apply(Operations.DIVIDE, Attributes.NONE, other);
    }

    /** {@code this / scalar}. */
    default Symbol divide(Number scalar) {
        return graph().apply(Operations.DIVIDE, this, scalar);
    }

    /** The elementwise larger value. */
    default Symbol maximum(Symbol other) {
        return apply(Operations.MAXIMUM, Attributes.NONE, other);
    }

    /** The elementwise smaller value. */
    default Symbol minimum(Symbol other) {
        return apply(Operations.MINIMUM, Attributes.NONE, other);
    }

    /** {@code this} to the power {@code exponent}. */
    default Symbol pow(Symbol exponent) {
        return apply(Operations.POW, Attributes.NONE, exponent);
    }

    /** {@code this} to the power {@code exponent}. */
    default Symbol pow(Number exponent) {
        return graph().apply(Operations.POW, this, exponent);
    }

    /** {@code -this}. */
    default Symbol neg() {
        return apply(Operations.NEG, Attributes.NONE);
    }

    /** {@code |this|}. */
    default Symbol abs() {
        return apply(Operations.ABS, Attributes.NONE);
    }

    /** {@code e^this}. */
    default Symbol exp() {
        return apply(Operations.EXP, Attributes.NONE);
    }

    /** The natural logarithm. */
    default Symbol log() {
        return apply(Operations.LOG, Attributes.NONE);
    }

    /** The square root. */
    default Symbol sqrt() {
        return apply(Operations.SQRT, Attributes.NONE);
    }

    /** The hyperbolic tangent. */
    default Symbol tanh() {
        return apply(Operations.TANH, Attributes.NONE);
    }

    /** The matrix product. */
    default Symbol matmul(Symbol other) {
        return apply(Operations.MATMUL, Attributes.NONE, other);
    }

    /** A reshape; one dimension may be {@code -1}. */
    default Symbol reshape(long... dims) {
        return apply(Operations.RESHAPE, Attributes.of(Attribute.DIMS, dims));
    }

    /** The elements converted to {@code dtype}. */
    default Symbol cast(DType dtype) {
        return apply(Operations.CAST, Attributes.of(Attribute.DTYPE, dtype));
    }

    /** The axes reordered by {@code permutation} (reversed when none is given). */
    default Symbol transpose(int... permutation) {
        return apply(Operations.TRANSPOSE, permutation.length == 0 ? Attributes.NONE
                : Attributes.of(Attribute.PERMUTATION, permutation));
    }

    /** The sum over {@code axes} (every axis when none are given). */
    default Symbol sum(int... axes) {
        return reduce(Operations.SUM, axes, false);
    }

    /** The sum over {@code axes}, reduced axes kept as size 1 if {@code keepDims}. */
    default Symbol sum(int[] axes, boolean keepDims) {
        return reduce(Operations.SUM, axes, keepDims);
    }

    /** The mean over {@code axes} (every axis when none are given). */
    default Symbol mean(int... axes) {
        return reduce(Operations.MEAN, axes, false);
    }

    /** The mean over {@code axes}, reduced axes kept as size 1 if {@code keepDims}. */
    default Symbol mean(int[] axes, boolean keepDims) {
        return reduce(Operations.MEAN, axes, keepDims);
    }

    /** The largest element over {@code axes} (every axis when none are given). */
    default Symbol max(int... axes) {
        return reduce(Operations.MAX, axes, false);
    }

    /** The largest element over {@code axes}, reduced axes kept as size 1 if {@code keepDims}. */
    default Symbol max(int[] axes, boolean keepDims) {
        return reduce(Operations.MAX, axes, keepDims);
    }

    /** The smallest element over {@code axes} (every axis when none are given). */
    default Symbol min(int... axes) {
        return reduce(Operations.MIN, axes, false);
    }

    /** The smallest element over {@code axes}, reduced axes kept as size 1 if {@code keepDims}. */
    default Symbol min(int[] axes, boolean keepDims) {
        return reduce(Operations.MIN, axes, keepDims);
    }

    private Symbol reduce(Operation reduction, int[] axes, boolean keepDims) {
        return apply(reduction, Attributes.of(Attribute.AXES, axes, Attribute.KEEP_DIMS, keepDims));
    }
}
