package org.tensorbridge.memory;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.tensorbridge.ClosedResourceException;

/**
 * The lifetime of a host array, apart from its element access (as Arrow keeps its
 * {@code ReferenceManager} apart from the buffer): accesses are counted while in flight, and the
 * memory reference is released by {@link #close()} when none is, or else by the last access to finish.
 * So an access racing with {@code close()} either completes on live memory or throws
 * {@link ClosedResourceException}; it never touches released memory.
 *
 * <p>One {@code int} holds it all — the accesses in flight, a closed bit and a released bit — because a
 * host array is made on every conversion and should cost as little as a conversion can. Thread-safe;
 * lock-free.
 */
final class AccessGuard {
    /** What the guard throws after close: the owner describes itself. */
    interface Owner {
        ClosedResourceException closedException();
    }

    private static final int CLOSED = 1 << 30;
    private static final int RELEASED = 1 << 29;
    private static final int IN_FLIGHT = RELEASED - 1;
    private static final AtomicIntegerFieldUpdater<AccessGuard> STATE =
            AtomicIntegerFieldUpdater.newUpdater(AccessGuard.class, "state");

    private final Storage storage;
    private final Owner owner;
    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    /** Guards one reference to {@code storage}, already retained for the array. */
    AccessGuard(Storage storage, Owner owner) {
        this.storage = storage;
        this.owner = owner;
    }

    /** Starts an access; pair with {@link #exit()} in a finally block. */
    void enter() {
        int now = STATE.incrementAndGet(this);
        if ((now & CLOSED) != 0) {
            exit();
            throw owner.closedException();
        }
    }

    /** Ends an access; releases the memory if the array was closed meanwhile and this was the last one. */
    void exit() {
        int now = STATE.decrementAndGet(this);
        if ((now & IN_FLIGHT) == 0 && (now & CLOSED) != 0) {
            releaseOnce();
        }
    }

    /** Throws if closed; for checks inside an access, in the order every accessor uses. */
    void ensureOpen() {
        if (isClosed()) {
            throw owner.closedException();
        }
    }

    boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    /** Marks the array closed; the reference goes at once, or with the last access in flight. */
    void close() {
        while (true) {
            int now = state;
            if ((now & CLOSED) != 0) {
                return;
            }
            boolean idle = (now & IN_FLIGHT) == 0;
            // With no access in flight, closing and releasing are one step: one atomic update, not two.
            if (STATE.compareAndSet(this, now, idle ? now | CLOSED | RELEASED : now | CLOSED)) {
                if (idle) {
                    storage.release();
                }
                return;
            }
        }
    }

    private void releaseOnce() {
        while (true) {
            int now = state;
            if ((now & RELEASED) != 0) {
                return;
            }
            if (STATE.compareAndSet(this, now, now | RELEASED)) {
                storage.release();
                return;
            }
        }
    }
}
