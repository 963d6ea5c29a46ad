package org.tensorbridge.memory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.tensorbridge.ClosedResourceException;

/**
 * The lifetime of a host array, apart from its element access (as Arrow keeps its
 * {@code ReferenceManager} apart from the buffer): accesses are counted while in flight, and the
 * memory reference is released by {@link #close()} when none is, or else by the last access to finish.
 * So an access racing with {@code close()} either completes on live memory or throws
 * {@link ClosedResourceException}; it never touches released memory.
 *
 * <p>Thread-safe; lock-free.
 */
final class AccessGuard {
    private final Storage storage;
    private final Supplier<ClosedResourceException> closedException;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** Guards one reference to {@code storage}, already retained for the array. */
    AccessGuard(Storage storage, Supplier<ClosedResourceException> closedException) {
        this.storage = storage;
        this.closedException = closedException;
    }

    /** Starts an access; pair with {@link #exit()} in a finally block. */
    void enter() {
        inFlight.incrementAndGet();
        if (closed.get()) {
            exit();
            throw closedException.get();
        }
    }

    /** Ends an access; releases the memory if the array was closed meanwhile and this was the last one. */
    void exit() {
        if (inFlight.decrementAndGet() == 0 && closed.get()) {
            releaseOnce();
        }
    }

    /** Throws if closed; for checks inside an access, in the order every accessor uses. */
    void ensureOpen() {
        if (closed.get()) {
            throw closedException.get();
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Marks the array closed; the reference goes at once, or with the last access in flight. */
    void close() {
        if (closed.compareAndSet(false, true) && inFlight.get() == 0) {
            releaseOnce();
        }
    }

    private void releaseOnce() {
        if (released.compareAndSet(false, true)) {
            storage.release();
        }
    }
}
