package org.tensorbridge;

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
public interface Tensor extends AutoCloseable {
    /** Element type. */
    DType dtype();

    /** Dimensions. */
    Shape shape();

    /** Where the tensor's memory lives. */
    Device device();

    /** The backend that made this tensor and runs its operations. */
    Backend backend();

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

    /** True once {@link #close()} has run. */
    boolean isClosed();

    /** Releases this tensor's reference to its memory. Idempotent; never throws. */
    @Override
    void close();

    // ---- eager operations, run at once by this tensor's backend; the caller closes each result ----

    /** {@code backend().add(this, other)}. */
    default Tensor add(Tensor other) {
        return backend().add(this, other);
    }

    /** {@code backend().add(this, scalar)}. */
    default Tensor add(Number scalar) {
        return backend().add(this, scalar);
    }

    /** {@code backend().subtract(this, other)}. */
    default Tensor subtract(Tensor other) {
        return backend().subtract(this, other);
    }

    /** {@code backend().subtract(this, scalar)}. */
    default Tensor subtract(Number scalar) {
        return backend().subtract(this, scalar);
    }

    /** {@code backend().multiply(this, other)}. */
    default Tensor multiply(Tensor other) {
        return backend().multiply(this, other);
    }

    /** {@code backend().multiply(this, scalar)}. */
    default Tensor multiply(Number scalar) {
        return backend().multiply(this, scalar);
    }

    /** {@code backend().divide(this, other)}. */
    default Tensor divide(Tensor other) {
        return backend().divide(this, other);
    }

    /** {@code backend().divide(this, scalar)}. */
    default Tensor divide(Number scalar) {
        return backend().divide(this, scalar);
    }

    /** {@code backend().matmul(this, other)}. */
    default Tensor matmul(Tensor other) {
        return backend().matmul(this, other);
    }

    /** {@code backend().reshape(this, dims)}: a view that shares this tensor's memory. */
    default Tensor reshape(long... dims) {
        return backend().reshape(this, dims);
    }

    /** {@code backend().cast(this, dtype)}. */
    default Tensor cast(DType dtype) {
        return backend().cast(this, dtype);
    }
}
