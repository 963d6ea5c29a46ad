package org.tensorbridge.arrow;

import java.util.concurrent.atomic.AtomicInteger;
import org.tensorbridge.SparseValue;

/**
 * Closes one resource when the last of a fixed number of holders has released it: each holder calls
 * {@link #close()} once, and the call that brings the count to zero closes the target. Used when
 * several Arrow buffers (a sparse value's indices and values) share the lifetime of one resource.
 *
 * <p>Thread-safe. Calls beyond the number of holders are ignored.
 */
final class SharedRelease implements AutoCloseable {
    private final SparseValue target;
    private final AtomicInteger holders;

    /** {@code holders} is at least 1. */
    SharedRelease(SparseValue target, int holders) {
        this.target = target;
        this.holders = new AtomicInteger(holders);
    }

    /** Releases one holder; the last closes the target. */
    @Override
    public void close() {
        if (holders.getAndUpdate(n -> Math.max(n - 1, 0)) == 1) {
            target.close();
        }
    }
}
