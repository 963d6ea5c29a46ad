package org.tensorbridge.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;

/**
 * Reuse of host blocks for copies: the size classes, the pool's bound, and the safety rule that
 * makes reuse invisible — a block comes back only if no buffer over it left the library, so neither
 * a stale {@code asByteBuffer()} nor a read racing {@code close()} ever sees another copy's bytes.
 */
class HostBlockReuseTest {
    private static final Device DEVICE = Device.cpu("test cpu");
    private final MemoryLedger ledger = new MemoryLedger("host block reuse test");

    @AfterEach
    void everyBlockWasReleased() {
        assertEquals(0, ledger.liveBlocks(), ledger.toString());
    }

    @Test
    void sizeClassesHoldTheRequestAndWasteAtMostAQuarterAbove4KiB() {
        for (int n : new int[] {0, 1, 255, 256, 257, 4095, 4096, 4097, 5000, 65_537, 1 << 20, (1 << 22) + 1,
                256 << 20, 1_000_000_007}) {
            int size = HostBlockPool.classSize(n);
            assertTrue(size >= n, n + " -> " + size);
            assertEquals(size, HostBlockPool.classSize(size), "a class size is its own class: " + size);
            if (n > 4096) {
                assertTrue(size - n <= n / 4 + 1, n + " -> " + size + " wastes more than a quarter");
            }
        }
        assertEquals(4 << 20, HostBlockPool.classSize(4 << 20), "4 MiB is a class of its own");
        assertEquals(0, HostBlockPool.classSize(Integer.MAX_VALUE), "no class above int range: exact, unpooled");
    }

    @Test
    void aGivenBlockServesTheNextRequestOfItsClassAndTheBoundIsKept() {
        HostBlockPool pool = new HostBlockPool(10_000);
        ByteBuffer first = pool.take(3000);
        assertEquals(4096, first.capacity());
        pool.give(first);
        assertEquals(4096, pool.heldBytes());
        assertSame(first, pool.take(4000), "the same class is served from the pool");
        assertEquals(0, pool.heldBytes());
        pool.give(first);
        pool.give(pool.take(4096 + 1));
        ByteBuffer third = ByteBuffer.allocateDirect(4096);
        pool.give(third);
        assertTrue(pool.heldBytes() <= 10_000, "held " + pool.heldBytes() + " over the bound");
        pool.clear();
        assertEquals(0, pool.heldBytes());
        assertNotSame(first, pool.take(4096), "clear lets every block go");
    }

    @Test
    void aPoolOfZeroBytesReusesNothing() {
        HostBlockPool pool = new HostBlockPool(0);
        ByteBuffer block = pool.take(100);
        pool.give(block);
        assertEquals(0, pool.heldBytes());
        assertNotSame(block, pool.take(100));
    }

    @Test
    void aCopyNoOneSawIsReusedForTheNextCopy() {
        HostStorage first = HostStorage.allocateForCopy(1 << 16, ledger);
        first.transientBuffer().putLong(0, 0x5EED_5EEDL);
        first.release();
        HostStorage second = HostStorage.allocateForCopy(1 << 16, ledger);
        try {
            // Contents of a reused block are undefined; seeing the old bytes is how reuse shows.
            assertEquals(0x5EED_5EEDL, second.transientBuffer().getLong(0), "the block was not reused");
        } finally {
            second.release();
        }
    }

    @Test
    void aBlockWhoseBufferWasHandedOutIsNeverReused() {
        HostStorage storage = HostStorage.allocateForCopy(1 << 16, ledger);
        HostArray array = new BufferHostArray(storage, DType.INT64, Shape.of(1 << 13), DEVICE, Sharing.INDEPENDENT,
                1 << 16, false);
        ByteBuffer stale = array.asByteBuffer();
        array.close();
        List<HostStorage> later = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                HostStorage next = HostStorage.allocateForCopy(1 << 16, ledger);
                next.transientBuffer().putLong(0, 0xBAD_C0DEL);
                later.add(next);
            }
            assertFalse(stale.getLong(0) == 0xBAD_C0DEL, "a buffer handed out before close sees a later copy");
        } finally {
            later.forEach(HostStorage::release);
        }
    }

    @Test
    void buffersFromBufferMarkTheBlockSeen() {
        HostStorage storage = HostStorage.allocateForCopy(512, ledger);
        assertTrue(storage.isReusable());
        storage.buffer();
        assertFalse(storage.isReusable());
        storage.release();
        HostStorage zeroed = HostStorage.allocate(512, ledger);
        assertFalse(zeroed.isReusable(), "zeroed memory is never pooled");
        zeroed.release();
    }

    /**
     * A bulk read races {@code close()} while another thread takes freshly freed blocks of the same
     * class and fills them with -1: every read returns the array's own values or throws
     * {@link ClosedResourceException}, never a reused block's bytes. (With a close that releases while
     * a read is in flight, the intruder's -1s show up in the copies.)
     */
    @Test
    void readsRacingCloseNeverSeeAnotherCopysBytes() throws InterruptedException {
        int elements = 1 << 19;
        long bytes = (long) elements * Long.BYTES;
        int rounds = 150;
        AtomicLong wrong = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread intruder = new Thread(() -> {
            // Two blocks at a time: with one, the intruder would only ever get its own block back.
            while (!done.get()) {
                HostStorage[] others = {HostStorage.allocateForCopy(bytes, ledger),
                    HostStorage.allocateForCopy(bytes, ledger)};
                for (HostStorage other : others) {
                    ByteBuffer memory = other.transientBuffer();
                    for (int i = 0; i < elements; i++) {
                        memory.putLong(i * Long.BYTES, -1L);
                    }
                }
                others[0].release();
                others[1].release();
            }
        });
        intruder.start();
        try {
            for (int round = 0; round < rounds; round++) {
                HostStorage storage = HostStorage.allocateForCopy(bytes, ledger);
                ByteBuffer memory = storage.transientBuffer();
                for (int i = 0; i < elements; i++) {
                    memory.putLong(i * Long.BYTES, round);
                }
                HostArray array = new BufferHostArray(storage, DType.INT64, Shape.of(elements), DEVICE,
                        Sharing.INDEPENDENT, bytes, true);
                CountDownLatch reading = new CountDownLatch(1);
                long expected = round;
                Thread reader = new Thread(() -> {
                    try {
                        long[] copy = new long[elements];
                        while (true) {
                            reading.countDown();
                            array.copyTo(copy);
                            for (long value : copy) {
                                if (value != expected) {
                                    wrong.incrementAndGet();
                                }
                            }
                        }
                    } catch (ClosedResourceException closed) {
                        // the documented outcome once close() won
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
                reader.start();
                reading.await();
                array.close();
                reader.join();
            }
        } finally {
            done.set(true);
            intruder.join();
        }
        if (failure.get() != null) {
            fail("a reader failed with an undocumented exception", failure.get());
        }
        assertEquals(0, wrong.get(), "values read that were another copy's bytes");
    }
}
