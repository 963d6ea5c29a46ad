package org.tensorbridge.arrow;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closes one resource when the last of a fixed number of holders has released it: each holder calls
 * {@link #close()} once, and the call that brings the count to zero closes the target. Used when
 * several Arrow buffers (a sparse value's indices and values) share the lifetime of one resource.
 *
 * <p>Thread-safe. Calls beyond the number of holders are ignored.
 */
final class SharedRelease implements AutoCloseable {
    private final AutoCloseable target;
    private final AtomicInteger holders;

    SharedRelease(AutoCloseable target, int holders) {
        if (holders < 1) {
            throw new IllegalArgumentException("holders is " + holders + "; at least one holder must release");
        }
        this.target = target;
        this.holders = new AtomicInteger(holders);
    }

    /** Releases one holder; the last closes the target, whose checked exceptions come back unchecked. */
    @Override
    public void close() {
        if (holders.getAndUpdate(n -> Math.max(n - 1, 0)) == 1) {
            try {
                target.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("closing " + target + " after its last holder released it failed", e);
            }
        }
    }
}
