package org.tensorbridge.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tensorbridge.ClosedResourceException;

/**
 * Storage's reference counting (count starts at 1, the release that reaches 0 frees exactly once, a
 * freed block never comes back), the MemoryLedger's accounting, and the Cleaner safety net that
 * reports, and only reports, a block dropped without release.
 */
class StorageTest {
    private static final long GC_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** A storage that counts its free() calls in a counter it does not own, so the count outlives it. */
    private static final class CountingStorage extends Storage {
        private final AtomicInteger frees;

        CountingStorage(long byteSize, MemoryLedger ledger, AtomicInteger frees) {
            super(byteSize, ledger, "counting test block");
            this.frees = frees;
        }

        @Override
        protected void free() {
            frees.incrementAndGet();
        }
    }

    // ---- reference counting ----

    @Test
    void countStartsAtOneOwnedByTheCreator() {
        AtomicInteger frees = new AtomicInteger();
        CountingStorage storage = new CountingStorage(16, new MemoryLedger("test"), frees);
        assertEquals(1, storage.referenceCount());
        assertFalse(storage.isReleased());
        assertEquals(16, storage.byteSize());
        assertEquals(0, frees.get());
        storage.release();
    }

    @Test
    void freeRunsExactlyOnceWhenTheLastHolderReleases() {
        AtomicInteger frees = new AtomicInteger();
        CountingStorage storage = new CountingStorage(8, new MemoryLedger("test"), frees);
        storage.retain();
        assertTrue(storage.tryRetain());
        assertEquals(3, storage.referenceCount());

        storage.release();
        assertEquals(2, storage.referenceCount());
        storage.release();
        assertEquals(1, storage.referenceCount());
        assertEquals(0, frees.get(), "free() must not run while a holder is left");
        assertFalse(storage.isReleased());

        storage.release();
        assertEquals(0, storage.referenceCount());
        assertTrue(storage.isReleased());
        assertEquals(1, frees.get(), "the release that reaches 0 frees the block");
    }

    @Test
    void retainAfterFreeThrowsClosedResourceExceptionAndDoesNotResurrect() {
        AtomicInteger frees = new AtomicInteger();
        CountingStorage storage = new CountingStorage(8, new MemoryLedger("test"), frees);
        storage.release();

        ClosedResourceException e = assertThrows(ClosedResourceException.class, storage::retain);
        assertTrue(e.getMessage().contains("memory was already released"), e.getMessage());
        assertEquals(0, storage.referenceCount(), "a failed retain must leave the count at 0");
        assertTrue(storage.isReleased());
        assertEquals(1, frees.get());
    }

    @Test
    void tryRetainAfterFreeReturnsFalseAndDoesNotResurrect() {
        AtomicInteger frees = new AtomicInteger();
        CountingStorage storage = new CountingStorage(8, new MemoryLedger("test"), frees);
        storage.release();

        assertFalse(storage.tryRetain());
        assertEquals(0, storage.referenceCount());
        assertEquals(1, frees.get());
    }

    @Test
    void releasingMoreOftenThanRetainingThrowsIllegalStateExceptionAndDoesNotFreeAgain() {
        AtomicInteger frees = new AtomicInteger();
        MemoryLedger ledger = new MemoryLedger("test");
        CountingStorage storage = new CountingStorage(8, ledger, frees);
        storage.release();

        IllegalStateException e = assertThrows(IllegalStateException.class, storage::release);
        assertEquals(IllegalStateException.class, e.getClass(), "an over-release is a plain IllegalStateException");
        assertTrue(e.getMessage().contains("released more often than retained"), e.getMessage());
        assertEquals(0, storage.referenceCount(), "the count must not go negative");
        assertEquals(1, frees.get(), "an over-release must not free a second time");
        assertEquals(0, ledger.liveBlocks(), "an over-release must not be counted twice");
        assertEquals(0, ledger.liveBytes());
    }

    @Test
    void negativeByteSizeIsRefusedNamingByteSize() {
        MemoryLedger ledger = new MemoryLedger("test");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CountingStorage(-1, ledger, new AtomicInteger()));
        assertTrue(e.getMessage().contains("byteSize is -1"), e.getMessage());
        assertEquals(0, ledger.liveBlocks(), "a refused block is not counted");
        assertEquals(0, ledger.allocatedBlocks());
    }

    @Test
    void freeThatThrowsStillSettlesTheLedgerAndTheCount() {
        MemoryLedger ledger = new MemoryLedger("test");
        Storage storage = new Storage(32, ledger, "throwing block") {
            @Override
            protected void free() {
                throw new IllegalStateException("driver refused");
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, storage::release);
        assertEquals("driver refused", e.getMessage(), "free()'s own failure propagates unchanged");
        assertTrue(storage.isReleased());
        assertEquals(0, ledger.liveBlocks());
        assertEquals(0, ledger.liveBytes());
        ClosedResourceException closed = assertThrows(ClosedResourceException.class, storage::retain);
        assertTrue(closed.getMessage().contains("memory was already released"), closed.getMessage());
    }

    // ---- concurrency ----

    @Test
    @Timeout(60)
    void concurrentRetainAndReleaseEndWithExactlyOneFreeAndAConsistentLedger() throws Exception {
        int threads = 8;
        int rounds = 20_000;
        MemoryLedger ledger = new MemoryLedger("test");
        AtomicInteger frees = new AtomicInteger();
        CountingStorage storage = new CountingStorage(64, ledger, frees);
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        if ((i + seed) % 2 == 0) {
                            storage.retain();
                        } else {
                            assertTrue(storage.tryRetain());
                        }
                        if (i % 7 == 0) {
                            storage.retain();
                            storage.release();
                        }
                        storage.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, storage.referenceCount(), "every retain was matched by a release");
        assertEquals(0, frees.get(), "the creator's reference kept the block alive throughout");
        assertEquals(1, ledger.liveBlocks());

        storage.release();
        assertEquals(1, frees.get());
        assertEquals(0, ledger.liveBlocks());
        assertEquals(0, ledger.liveBytes());
        assertEquals(1, ledger.allocatedBlocks());
    }

    @Test
    @Timeout(60)
    void racingLastReleasesAndRetainsFreeExactlyOnceAndNeverResurrect() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int trial = 0; trial < 300; trial++) {
                MemoryLedger ledger = new MemoryLedger("trial " + trial);
                AtomicInteger frees = new AtomicInteger();
                CountingStorage storage = new CountingStorage(8, ledger, frees);
                // threads holders in all: the creator's reference plus threads - 1 more.
                for (int i = 1; i < threads; i++) {
                    storage.retain();
                }
                CyclicBarrier start = new CyclicBarrier(threads);
                AtomicInteger lateRetains = new AtomicInteger();
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        storage.release();
                        // Racing the other threads' last release: either it wins and must give back, or it must fail.
                        if (storage.tryRetain()) {
                            lateRetains.incrementAndGet();
                            storage.release();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
                assertEquals(1, frees.get(), "trial " + trial + ": free() must run exactly once");
                assertEquals(0, storage.referenceCount(), "trial " + trial);
                assertFalse(storage.tryRetain(), "trial " + trial + ": a freed block must stay freed");
                assertEquals(0, ledger.liveBlocks(), "trial " + trial);
                assertEquals(0, ledger.liveBytes(), "trial " + trial);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- the ledger ----

    @Test
    void ledgerCountsLiveBlocksAndBytesAndEveryAllocation() {
        MemoryLedger ledger = new MemoryLedger("test backend");
        assertEquals(0, ledger.liveBlocks());
        assertEquals(0, ledger.liveBytes());
        assertEquals(0, ledger.allocatedBlocks());

        CountingStorage a = new CountingStorage(100, ledger, new AtomicInteger());
        CountingStorage b = new CountingStorage(28, ledger, new AtomicInteger());
        CountingStorage empty = new CountingStorage(0, ledger, new AtomicInteger());
        assertEquals(3, ledger.liveBlocks());
        assertEquals(128, ledger.liveBytes());
        assertEquals(3, ledger.allocatedBlocks());

        a.retain();
        a.release();
        assertEquals(3, ledger.liveBlocks(), "retain/release above 0 changes nothing in the ledger");
        assertEquals(128, ledger.liveBytes());

        a.release();
        assertEquals(2, ledger.liveBlocks());
        assertEquals(28, ledger.liveBytes());
        empty.release();
        b.release();
        assertEquals(0, ledger.liveBlocks());
        assertEquals(0, ledger.liveBytes());
        assertEquals(3, ledger.allocatedBlocks(), "allocatedBlocks counts every block ever opened");
        assertTrue(ledger.leaks().isEmpty());
        assertTrue(ledger.toString().startsWith("test backend: 0 live blocks, 0 bytes, 0 leaks"), ledger.toString());
    }

    // ---- the leak safety net ----

    @Test
    @Timeout(60)
    void unreleasedStorageThatBecomesUnreachableIsReportedAsALeakButNotFreed() throws InterruptedException {
        MemoryLedger ledger = new MemoryLedger("leak test");
        AtomicInteger frees = new AtomicInteger();
        WeakReference<Storage> dropped = dropUnreleased(ledger, frees, 4096);

        assertTrue(awaitGc(() -> dropped.get() == null && !ledger.leaks().isEmpty()),
                "a block dropped without release must be reported within 10 s; leaks " + ledger.leaks()
                        + ", collected " + (dropped.get() == null));
        List<String> leaks = ledger.leaks();
        assertEquals(1, leaks.size(), leaks.toString());
        assertTrue(leaks.get(0).contains("counting test block"), leaks.get(0));
        assertTrue(leaks.get(0).contains("4096 bytes"), leaks.get(0));
        assertEquals(0, frees.get(), "the Cleaner reports a leak; it is not the freeing mechanism");
        assertEquals(1, ledger.liveBlocks(), "a leaked block stays counted as live");
    }

    @Test
    @Timeout(60)
    void releasedStorageIsNeverReportedAsALeak() throws InterruptedException {
        MemoryLedger releasedLedger = new MemoryLedger("released");
        MemoryLedger leakedLedger = new MemoryLedger("leaked");
        AtomicInteger frees = new AtomicInteger();
        WeakReference<Storage> released = dropReleased(releasedLedger, frees);
        // A leaked block in the same collections proves the cleaner ran over this garbage.
        WeakReference<Storage> leaked = dropUnreleased(leakedLedger, new AtomicInteger(), 8);

        assertTrue(awaitGc(() -> released.get() == null && leaked.get() == null && !leakedLedger.leaks().isEmpty()),
                "both blocks should be collected and the unreleased one reported within 10 s");
        // Give the cleaner thread more time; a released block's report would arrive now if ever.
        awaitGc(() -> false, TimeUnit.MILLISECONDS.toNanos(500));
        assertEquals(List.of(), releasedLedger.leaks(), "a released block must never be reported");
        assertEquals(1, frees.get());
        assertEquals(0, releasedLedger.liveBlocks());
    }

    private static WeakReference<Storage> dropUnreleased(MemoryLedger ledger, AtomicInteger frees, long bytes) {
        CountingStorage storage = new CountingStorage(bytes, ledger, frees);
        storage.retain();
        storage.release();
        return new WeakReference<>(storage);
    }

    private static WeakReference<Storage> dropReleased(MemoryLedger ledger, AtomicInteger frees) {
        CountingStorage storage = new CountingStorage(8, ledger, frees);
        storage.release();
        return new WeakReference<>(storage);
    }

    private static boolean awaitGc(BooleanSupplier condition) throws InterruptedException {
        return awaitGc(condition, GC_TIMEOUT_NANOS);
    }

    private static boolean awaitGc(BooleanSupplier condition, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() < deadline) {
            System.gc();
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
