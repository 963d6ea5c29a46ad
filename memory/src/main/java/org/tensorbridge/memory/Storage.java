package org.tensorbridge.memory;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.tensorbridge.ClosedResourceException;

/**
 * A reference-counted block of one backend's memory: host memory, device memory, or memory a
 * caller lent. Tensors, reshaped views and shared host arrays each hold one reference; the block
 * is {@linkplain #free() freed} when the last holder releases it.
 *
 * <p>The count starts at 1, owned by whoever created the block. {@link #retain()} fails once the
 * count has reached 0, so a released block can never come back to life. Releasing more often than
 * retaining is a bug and throws {@link IllegalStateException}.
 *
 * <p>A {@link Cleaner} is a safety net only: a counted block that becomes unreachable without being
 * released is reported to its {@link MemoryLedger} as a leak; it is not the freeing mechanism. An
 * uncounted handle (a host view of a counted block) has no cleaner of its own: while leaked it keeps
 * its counted block unreleased, whose sentinel reports the leak.
 *
 * <p>Thread-safe.
 */
public abstract class Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final long byteSize;
    private final MemoryLedger ledger;
    private final boolean counted;
    private static final AtomicIntegerFieldUpdater<Storage> REFERENCES =
            AtomicIntegerFieldUpdater.newUpdater(Storage.class, "references");

    /** Holders; a field rather than an AtomicInteger, since every tensor and copy makes a block. */
    private volatile int references = 1;
    private final LeakSentinel sentinel;
    private final Cleaner.Cleanable cleanable;

    /**
     * @param byteSize size of the block in bytes
     * @param ledger the ledger that counts this backend's memory
     * @param description what the block is, for leak reports
     */
    protected Storage(long byteSize, MemoryLedger ledger, String description) {
        this(byteSize, ledger, description, true);
    }

    /**
     * @param counted false for a second handle on memory that another, counted block already holds
     *     (a host view of an engine's buffer), so the ledger counts that memory once
     */
    protected Storage(long byteSize, MemoryLedger ledger, String description, boolean counted) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize is " + byteSize + "; it must be 0 or more");
        }
        this.byteSize = byteSize;
        this.ledger = ledger;
        this.counted = counted;
        if (counted) {
            ledger.opened(byteSize);
            this.sentinel = new LeakSentinel(ledger, description, byteSize);
            this.cleanable = CLEANER.register(this, sentinel);
        } else {
            // A second handle holds the counted block until it is released, so a leaked handle leaves that
            // block unreleased too, and the block's own sentinel reports the leak; a cleaner per handle
            // would only double the report and the cost of making one.
            this.sentinel = null;
            this.cleanable = null;
        }
    }

    /** The ledger that counts this block. */
    public final MemoryLedger ledger() {
        return ledger;
    }

    /** Size in bytes. */
    public final long byteSize() {
        return byteSize;
    }

    /** Current number of holders; 0 once freed. */
    public final int referenceCount() {
        return references;
    }

    /** True once the last holder has released the block. */
    public final boolean isReleased() {
        return references == 0;
    }

    /**
     * Adds a holder.
     *
     * @throws ClosedResourceException if the block was already freed
     */
    public final void retain() {
        if (!tryRetain()) {
            throw new ClosedResourceException("the memory was already released; the tensor or array that held it was "
                    + "closed. Keep one of them open while the memory is in use");
        }
    }

    /** Adds a holder unless the block was freed; returns whether it did. */
    public final boolean tryRetain() {
        while (true) {
            int current = references;
            if (current == 0) {
                return false;
            }
            if (REFERENCES.compareAndSet(this, current, current + 1)) {
                return true;
            }
        }
    }

    /**
     * Removes a holder; the last one frees the block.
     *
     * @throws IllegalStateException if there was no holder left to remove
     */
    public final void release() {
        while (true) {
            int current = references;
            if (current == 0) {
                throw new IllegalStateException("storage released more often than retained; a holder released twice");
            }
            if (REFERENCES.compareAndSet(this, current, current - 1)) {
                if (current == 1) {
                    try {
                        free();
                    } finally {
                        if (counted) {
                            ledger.released(byteSize);
                            sentinel.released = true;
                            cleanable.clean();
                        }
                    }
                }
                return;
            }
        }
    }

    /**
     * Frees the memory. Called exactly once, by the release that drops the count to 0. Must not
     * make any still reachable host view of the memory crash the JVM.
     */
    protected abstract void free();

    /** Reports, from the cleaner thread, a block collected while still held. Holds no reference to it. */
    private static final class LeakSentinel implements Runnable {
        volatile boolean released;
        private final MemoryLedger ledger;
        private final String description;
        private final long byteSize;

        LeakSentinel(MemoryLedger ledger, String description, long byteSize) {
            this.ledger = ledger;
            this.description = description;
            this.byteSize = byteSize;
        }

        @Override
        public void run() {
            if (!released) {
                ledger.leaked(description + " (" + byteSize + " bytes)");
            }
        }
    }
}
