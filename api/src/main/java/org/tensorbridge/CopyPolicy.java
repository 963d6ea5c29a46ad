package org.tensorbridge;

/**
 * Whether a conversion may, must or must not copy. The Array API's {@code copy=False/None/True}.
 *
 * <p>Immutable and thread-safe.
 */
public enum CopyPolicy {
    /**
     * Share the tensor's memory or fail with {@link CopyRequiredException}. Never copies.
     */
    NEVER,
    /** Share when the backend can, otherwise copy. The default. */
    IF_NEEDED,
    /** Always return an independent copy, even when sharing would be possible. */
    ALWAYS
}
