package org.tensorbridge;

/**
 * The access a caller asks for on a host array.
 *
 * <p>A {@link #READ_ONLY} view rejects writes with {@link ReadOnlyException}. A {@link #WRITABLE}
 * shared view makes writes visible in the tensor and in the results of later operations on it;
 * it is given only when asked for. Immutable and thread-safe.
 */
public enum Access {
    /** Writes are rejected. The default. */
    READ_ONLY,
    /** Writes are allowed; on a shared view they reach the tensor. */
    WRITABLE
}
