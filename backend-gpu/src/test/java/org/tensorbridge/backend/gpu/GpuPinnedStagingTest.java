package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Access;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.HostArray;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.MemoryLedger;

/**
 * {@code toHost()} staged through pinned host memory ({@link PinnedPool}), forced on, so that PoCL (where
 * the default leaves it off) runs the path a discrete GPU takes: values, the copy's report and
 * independence, the block's return to the bounded pool, the no-reuse rule for blocks whose buffer
 * escaped, reads racing {@code close()}, and closing after the backend. Skipped without OpenCL.
 */
class GpuPinnedStagingTest {
    private static final int N = 1 << 14;
    private GpuBackend backend;
    private PinnedPool pool;

    @BeforeEach
    void open() {
        backend = OpenCl.backendOrSkip();
        pool = backend.pinnedPool();
        pool.setEnabled(true);
    }

    @AfterEach
    void everythingWasReleased() {
        if (backend == null) {
            return;
        }
        MemoryLedger ledger = backend.ledger();
        backend.close();
        assertEquals(0, pool.lentBlocks(), "pinned blocks still lent");
        assertEquals(0, pool.idleBlocks(), "idle pinned blocks after the backend closed");
        assertEquals(0, ledger.liveBlocks(), "a test left memory open: " + ledger);
        assertTrue(ledger.leaks().isEmpty(), ledger.leaks().toString());
    }

    private Tensor iota(long offset) {
        return backend.constant(LongStream.range(offset, offset + N).toArray(), N);
    }

    private static void assertIota(HostArray host, long offset) {
        assertArrayEquals(LongStream.range(offset, offset + N).toArray(), host.toLongArray());
    }

    @Test
    void toHostCopiesThroughAPinnedBlockAndReportsACopy() {
        try (Tensor t = iota(7); HostArray host = t.toHost()) {
            assertEquals(1, pool.lentBlocks(), "the copy holds a pinned block");
            assertEquals(1, pool.createdBlocks());
            assertIota(host, 7);
            assertEquals(Sharing.INDEPENDENT, host.sharing());
            assertEquals((long) N * Long.BYTES, host.bytesCopied());
            assertTrue(host.isReadOnly(), "toHost() is read-only by default");
            assertThrows(org.tensorbridge.ReadOnlyException.class, () -> host.setLong(1, 0));
        }
        try (Tensor t = iota(3); HostArray host = t.toHost(CopyPolicy.ALWAYS, Access.WRITABLE)) {
            assertFalse(host.isReadOnly());
            host.setLong(-1, 0);
            assertEquals(-1, host.getLong(0));
        }
    }

    @Test
    void aClosedArraysBlockGoesBackToThePoolAndServesTheNextCopy() {
        try (Tensor a = iota(0); Tensor b = iota(100)) {
            a.toHost().close();
            assertEquals(0, pool.lentBlocks());
            assertEquals(1, pool.idleBlocks(), "the block came back");
            try (HostArray host = b.toHost()) {
                assertEquals(1, pool.reusedBlocks(), "the idle block served the next copy");
                assertEquals(1, pool.createdBlocks(), "no new pinned allocation");
                assertEquals(0, pool.idleBlocks());
                assertIota(host, 100);
            }
        }
    }

    @Test
    void theCopyIsIndependentOfTheTensorAndOfLaterCopies() {
        try (Tensor t = iota(0); HostArray first = t.toHost(CopyPolicy.ALWAYS, Access.WRITABLE)) {
            first.setLong(-5, 0);
            try (HostArray second = t.toHost(CopyPolicy.ALWAYS, Access.WRITABLE)) {
                assertEquals(0, second.getLong(0), "a write to the first copy reached the tensor or the second copy");
                second.setLong(-7, 1);
                assertEquals(1, first.getLong(1), "the second copy aliases the first");
                assertEquals(-5, first.getLong(0));
                assertEquals(2, pool.lentBlocks(), "two open copies hold two blocks");
            }
        }
    }

    @Test
    void aBlockWhoseBufferEscapedIsNeverReused() {
        ByteBuffer stale;
        try (Tensor t = iota(0); HostArray host = t.toHost()) {
            stale = host.asByteBuffer();
        }
        assertEquals(0, pool.idleBlocks(), "a block whose buffer escaped came back for reuse");
        List<HostArray> later = new ArrayList<>();
        try (Tensor other = backend.fill(org.tensorbridge.DType.INT64, org.tensorbridge.Shape.of(N), -9L)) {
            for (int i = 0; i < 4; i++) {
                later.add(other.toHost());
            }
            assertEquals(0, pool.reusedBlocks());
            assertNotEquals(-9L, stale.getLong(0), "a stale buffer sees a later copy");
            assertEquals(1L, stale.getLong(8), "the stale buffer's memory is still its copy's");
        } finally {
            later.forEach(HostArray::close);
        }
    }

    /** No leak through escaped buffers: the collector's finding the last buffer over a block releases it. */
    @Test
    void anAbandonedBlockIsReleasedOnceItsBuffersAreUnreachable() throws InterruptedException {
        copyAndDropAnEscapedBuffer();
        assertEquals(0, pool.idleBlocks());
        for (int i = 0; i < 200 && pool.liveBlocks() > 0; i++) {
            System.gc();
            Thread.sleep(25);
        }
        assertEquals(0, pool.liveBlocks(), "an abandoned block was not released after its buffers were collected");
    }

    private void copyAndDropAnEscapedBuffer() {
        try (Tensor t = iota(0); HostArray host = t.toHost()) {
            assertEquals(0, host.asByteBuffer().getLong(0));
        }
        assertEquals(1, pool.liveBlocks());
    }

    @Test
    void thePoolIsBoundedAndLargerCopiesAreNotStaged() {
        PinnedPool small = new PinnedPool(backend.context(), 3 * 4096, true);
        MemoryLedger ledger = backend.ledger();
        try {
            assertTrue(small.serves(4096));
            assertFalse(small.serves(4 * 4096), "a copy larger than the bound is staged");
            List<HostStorage> lent = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                lent.add(small.lend(4000, ledger));
            }
            assertEquals(4, small.liveBlocks());
            lent.forEach(HostStorage::release);
            assertEquals(3, small.idleBlocks(), "held past the bound");
            assertEquals(3 * 4096, small.idleBytes());
            assertEquals(3, small.liveBlocks(), "the block over the bound was not freed");
        } finally {
            small.close();
        }
        assertEquals(0, small.liveBlocks(), "close freed the idle blocks");
        assertEquals(4096, PinnedPool.classSize(1));
        assertEquals(256L << 20, PinnedPool.classSize(256L << 20));
        long odd = (256L << 20) + 1;
        assertTrue(PinnedPool.classSize(odd) - odd <= odd / 4, "a class wastes at most a quarter of the request");
    }

    @Test
    void anArrayClosedAfterTheBackendReleasesItsBlock() {
        Tensor t = iota(0);
        HostArray host = t.toHost();
        HostArray escaped = t.toHost();
        ByteBuffer view = escaped.asByteBuffer();
        backend.close();
        assertIota(host, 0);
        host.close();
        escaped.close();
        t.close();
        assertEquals(0, view.getLong(0), "an escaped buffer keeps its memory past every close");
        assertEquals(1, pool.liveBlocks(), "only the escaped block, until the collector finds its buffer");
        assertEquals(0, pool.idleBlocks());
        assertThrows(ClosedResourceException.class, host::toLongArray);
    }

    /**
     * A bulk read races {@code close()} while another thread copies -1s through the same pool, which takes
     * every block closed arrays give back: each read returns the array's own values or throws
     * {@link ClosedResourceException}, never another copy's bytes.
     */
    @Test
    void readsRacingCloseNeverSeeAnotherCopysBytes() throws InterruptedException {
        AtomicLong wrong = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        try (Tensor minusOnes = backend.fill(org.tensorbridge.DType.INT64, org.tensorbridge.Shape.of(N), -1L)) {
            Thread intruder = new Thread(() -> {
                try {
                    while (!done.get()) {
                        try (HostArray a = minusOnes.toHost(); HostArray b = minusOnes.toHost()) {
                            a.getLong(0);
                            b.getLong(0);
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            intruder.start();
            try {
                for (int round = 0; round < 100; round++) {
                    race(round, wrong, failure);
                }
            } finally {
                done.set(true);
                intruder.join();
            }
        }
        if (failure.get() != null) {
            fail("a thread failed with an undocumented exception", failure.get());
        }
        assertEquals(0, wrong.get(), "values read that were another copy's bytes");
        assertTrue(pool.reusedBlocks() > 0, "the race never reused a block, so it proved nothing");
    }

    private void race(long round, AtomicLong wrong, AtomicReference<Throwable> failure) throws InterruptedException {
        try (Tensor t = backend.fill(org.tensorbridge.DType.INT64, org.tensorbridge.Shape.of(N), round)) {
            HostArray array = t.toHost();
            CountDownLatch reading = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                long[] copy = new long[N];
                try {
                    while (true) {
                        reading.countDown();
                        array.copyTo(copy);
                        for (long value : copy) {
                            if (value != round) {
                                wrong.incrementAndGet();
                            }
                        }
                    }
                } catch (ClosedResourceException closed) {
                    // the documented outcome once close() won
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            reader.start();
            reading.await();
            array.close();
            reader.join();
        }
    }

    @Test
    void theDefaultStagesOnlyOnADiscreteGpu() {
        try (PinnedPool byDefault = PinnedPool.forDevice(backend.context())) {
            DeviceInfo device = backend.context().device();
            boolean discreteGpu = device.isGpu() && !PinnedPool.hostUnifiedMemory(device);
            assertEquals(discreteGpu, byDefault.isEnabled(), device.describe());
        }
    }
}
