package org.tensorbridge.spi;

import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.Storage;

/**
 * Tensors over a caller's direct buffer without a copy (optional): {@code fromBuffer(..., NEVER)}
 * succeeds exactly when a backend supplies it.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface HostWrapping {
    /** Backend storage that aliases {@code buffer}, taking over {@code buffer}'s reference. */
    Storage wrap(HostStorage buffer);

    /** Wrapping for memory that is {@link HostStorage} itself: the buffer is the storage. */
    static HostWrapping asIs() {
        return buffer -> buffer;
    }
}
