package org.tensorbridge;

import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;

/**
 * A dense, concrete tensor held by a {@link Backend}: a dtype, a shape and memory on the backend's
 * {@link #device()}.
 *
 * <h2>Conversion to host arrays</h2>
 * {@link #toHost(CopyPolicy, Access)} follows the contract of the project's design:
 * <ul>
 *   <li>{@link CopyPolicy#NEVER}: share the tensor's memory or throw
 *       {@link CopyRequiredException}; the result reports {@link Sharing#SHARED} and 0 bytes
 *       copied.</li>
 *   <li>{@link CopyPolicy#IF_NEEDED} (the default): share when the backend can give the access
 *       asked for, otherwise copy.</li>
 *   <li>{@link CopyPolicy#ALWAYS}: an independent copy; writes to it never reach the tensor and
 *       later changes to the tensor never reach it.</li>
 * </ul>
 * A shared view is read-only unless {@link Access#WRITABLE} is asked for; a writable shared view
 * makes its writes visible in the tensor and in the results of later operations. Device tensors
 * (memory the host cannot address) are always copied, and fail under {@code NEVER}.
 *
 * <h2>Lifetime</h2>
 * A tensor is {@link AutoCloseable}. Closing it releases its reference to its memory; host arrays
 * and reshaped views taken from it keep the memory alive until they are closed too. Every method
 * except {@code close}, {@link #isClosed()} and the descriptive getters ({@code dtype}, {@code shape},
 * {@code device}, {@code backend}) throws {@link ClosedResourceException} after close; closing twice
 * is harmless.
 *
 * <h2>Thread-safety</h2>
 * Tensors are immutable apart from writes through writable host views, and safe to use from several
 * threads; a concurrent {@code close()} makes other calls either complete normally or throw
 * {@link ClosedResourceException}, never crash.
 */
public non-sealed interface Tensor extends AnyTensor {
    /** Dimensions. */
    Shape shape();

    /** {@code toHost(CopyPolicy.IF_NEEDED, Access.READ_ONLY)}. */
    default HostArray toHost() {
        return toHost(CopyPolicy.IF_NEEDED, Access.READ_ONLY);
    }

    /** {@code toHost(policy, Access.READ_ONLY)}. */
    default HostArray toHost(CopyPolicy policy) {
        return toHost(policy, Access.READ_ONLY);
    }

    /**
     * A host array of this tensor's elements, shared or copied as {@code policy} says, with the
     * {@code access} asked for. The caller closes the result.
     *
     * @throws CopyRequiredException under {@code NEVER} when sharing with that access is impossible
     * @throws ClosedResourceException if this tensor is closed
     */
    HostArray toHost(CopyPolicy policy, Access access);

    // ---- eager operations, run at once by this tensor's backend; the caller closes each result ----

    /** Runs {@code operation} on this tensor and {@code others}: {@code backend().apply(...)}. */
    default Tensor apply(Operation operation, Attributes attributes, AnyTensor... others) {
        AnyTensor[] inputs = new AnyTensor[others.length + 1];
        inputs[0] = this;
        System.arraycopy(others, 0, inputs, 1, others.length);
        return backend().apply(operation, attributes, inputs);
    }

    /** {@code this + other}, broadcast. */
    default Tensor add(Tensor other) {
        return apply(Operations.ADD, Attributes.NONE, other);
    }

    /** {@code this + scalar}. */
    default Tensor add(Number scalar) {
        return backend().apply(Operations.ADD, this, scalar);
    }

    /** {@code this - other}, broadcast. */
    default Tensor subtract(Tensor other) {
        return apply(Operations.SUBTRACT, Attributes.NONE, other);
    }

    /** {@code this - scalar}. */
    default Tensor subtract(Number scalar) {
        return backend().apply(Operations.SUBTRACT, this, scalar);
    }

    /** {@code this * other} elementwise, broadcast. */
    default Tensor multiply(Tensor other) {
        return apply(Operations.MULTIPLY, Attributes.NONE, other);
    }

    /** {@code this * scalar}. */
    default Tensor multiply(Number scalar) {
        return backend().apply(Operations.MULTIPLY, this, scalar);
    }

    /** {@code this / other} elementwise, broadcast; see {@link Operations#DIVIDE}. */
    default Tensor divide(Tensor other) {
        return apply(Operations.DIVIDE, Attributes.NONE, other);
    }

    /** {@code this / scalar}. */
    default Tensor divide(Number scalar) {
        return backend().apply(Operations.DIVIDE, this, scalar);
    }

    /** The elementwise larger value; see {@link Operations#MAXIMUM}. */
    default Tensor maximum(Tensor other) {
        return apply(Operations.MAXIMUM, Attributes.NONE, other);
    }

    /** The elementwise smaller value; see {@link Operations#MINIMUM}. */
    default Tensor minimum(Tensor other) {
        return apply(Operations.MINIMUM, Attributes.NONE, other);
    }

    /** {@code this} to the power {@code exponent}, elementwise; see {@link Operations#POW}. */
    default Tensor pow(Tensor exponent) {
        return apply(Operations.POW, Attributes.NONE, exponent);
    }

    /** {@code this} to the power {@code exponent}. */
    default Tensor pow(Number exponent) {
        return backend().apply(Operations.POW, this, exponent);
    }

    /** {@code -this}; see {@link Operations#NEG}. */
    default Tensor neg() {
        return apply(Operations.NEG, Attributes.NONE);
    }

    /** {@code |this|}; see {@link Operations#ABS}. */
    default Tensor abs() {
        return apply(Operations.ABS, Attributes.NONE);
    }

    /** {@code e^this}; see {@link Operations#EXP}. */
    default Tensor exp() {
        return apply(Operations.EXP, Attributes.NONE);
    }

    /** The natural logarithm; see {@link Operations#LOG}. */
    default Tensor log() {
        return apply(Operations.LOG, Attributes.NONE);
    }

    /** The square root; see {@link Operations#SQRT}. */
    default Tensor sqrt() {
        return apply(Operations.SQRT, Attributes.NONE);
    }

    /** The hyperbolic tangent; see {@link Operations#TANH}. */
    default Tensor tanh() {
        return apply(Operations.TANH, Attributes.NONE);
    }

    /** The matrix product {@code [m, k] x [k, n]}. */
    default Tensor matmul(Tensor other) {
        return apply(Operations.MATMUL, Attributes.NONE, other);
    }

    /** A view with new dimensions that shares this tensor's memory; one may be {@code -1}. */
    default Tensor reshape(long... dims) {
        return apply(Operations.RESHAPE, Attributes.of(Attribute.DIMS, dims));
    }

    /** The elements converted to {@code dtype}; see {@link Operations#CAST}. */
    default Tensor cast(DType dtype) {
        return apply(Operations.CAST, Attributes.of(Attribute.DTYPE, dtype));
    }

    /** The axes reordered: axis {@code i} of the result is axis {@code permutation[i]} of this; none reverses them. */
    default Tensor transpose(int... permutation) {
        if (permutation == null) {
            throw new NullPointerException("permutation must not be null; call transpose() to reverse the axes");
        }
        return apply(Operations.TRANSPOSE, permutation.length == 0 ? Attributes.NONE
                : Attributes.of(Attribute.PERMUTATION, permutation));
    }

    /** The sum over {@code axes} (every axis when none are given), reduced axes removed. */
    default Tensor sum(int... axes) {
        return reduce(Operations.SUM, axes, false);
    }

    /** The sum over {@code axes} (every axis when empty), reduced axes kept as size 1 if {@code keepDims}. */
    default Tensor sum(int[] axes, boolean keepDims) {
        return reduce(Operations.SUM, axes, keepDims);
    }

    /** The mean over {@code axes} (every axis when none are given); floating point only. */
    default Tensor mean(int... axes) {
        return reduce(Operations.MEAN, axes, false);
    }

    /** The mean over {@code axes}, reduced axes kept as size 1 if {@code keepDims}. */
    default Tensor mean(int[] axes, boolean keepDims) {
        return reduce(Operations.MEAN, axes, keepDims);
    }

    /** The largest element over {@code axes} (every axis when none are given). */
    default Tensor max(int... axes) {
        return reduce(Operations.MAX, axes, false);
    }

    /** The largest element over {@code axes}, reduced axes kept as size 1 if {@code keepDims}. */
    default Tensor max(int[] axes, boolean keepDims) {
        return reduce(Operations.MAX, axes, keepDims);
    }

    /** The smallest element over {@code axes} (every axis when none are given). */
    default Tensor min(int... axes) {
        return reduce(Operations.MIN, axes, false);
    }

    /** The smallest element over {@code axes}, reduced axes kept as size 1 if {@code keepDims}. */
    default Tensor min(int[] axes, boolean keepDims) {
        return reduce(Operations.MIN, axes, keepDims);
    }

    private Tensor reduce(Operation reduction, int[] axes, boolean keepDims) {
        return apply(reduction, Attributes.of(Attribute.AXES, axes, Attribute.KEEP_DIMS, keepDims));
    }
}
