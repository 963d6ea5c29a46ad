package org.tensorbridge;

/**
 * What a host array reports about its memory. A report never lies: the conformance kit mutates one
 * side and observes the other.
 *
 * <p>Immutable and thread-safe.
 */
public enum Sharing {
    /** The array aliases memory that the tensor, or someone else, can also see and change. */
    SHARED,
    /** No one else sees the array's memory: it is a copy, or memory handed over whole. */
    INDEPENDENT
}
