package org.tensorbridge.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts one backend's live {@link Storage} blocks and bytes, and the leaks its safety net
 * reported. Tests and the conformance kit assert on it: after every tensor and host array is
 * closed, {@link #liveBlocks()} is back where it started and {@link #leaks()} is empty.
 *
 * <p>Thread-safe.
 */
public final class MemoryLedger {
    private final String owner;
    private final AtomicLong liveBlocks = new AtomicLong();
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong allocatedBlocks = new AtomicLong();
    private final List<String> leaks = Collections.synchronizedList(new ArrayList<>());

    /** Every ledger alive in this JVM, weakly held: what a leak check over a whole test suite reads. */
    private static final java.util.Set<MemoryLedger> ALL =
            java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

    /** @param owner the backend or component whose memory this counts, for messages */
    public MemoryLedger(String owner) {
        this.owner = owner;
        ALL.add(this);
    }

    /** The ledgers of every backend still reachable in this JVM. */
    public static List<MemoryLedger> all() {
        synchronized (ALL) {
            return List.copyOf(ALL);
        }
    }

    /** The backend or component whose memory this counts. */
    public String owner() {
        return owner;
    }

    void opened(long bytes) {
        liveBlocks.incrementAndGet();
        liveBytes.addAndGet(bytes);
        allocatedBlocks.incrementAndGet();
    }

    void released(long bytes) {
        liveBlocks.decrementAndGet();
        liveBytes.addAndGet(-bytes);
    }

    void leaked(String description) {
        leaks.add(description);
        System.getLogger(MemoryLedger.class.getName()).log(System.Logger.Level.WARNING,
                "tensorbridge: " + description + " of " + owner
                        + " became unreachable without being closed; close every tensor and host array (try-with-resources)");
    }

    /** Blocks allocated or wrapped and not yet released. */
    public long liveBlocks() {
        return liveBlocks.get();
    }

    /** Bytes of the live blocks. */
    public long liveBytes() {
        return liveBytes.get();
    }

    /** Blocks ever opened; a test that counts allocations reads the difference. */
    public long allocatedBlocks() {
        return allocatedBlocks.get();
    }

    /** Descriptions of blocks that were garbage collected without being released. */
    public List<String> leaks() {
        synchronized (leaks) {
            return List.copyOf(leaks);
        }
    }

    @Override
    public String toString() {
        return owner + ": " + liveBlocks() + " live blocks, " + liveBytes() + " bytes, " + leaks.size() + " leaks";
    }
}
