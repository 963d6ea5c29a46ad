package org.tensorbridge.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.spi.AbstractBackend;

/**
 * Rounds of one tensor shared by reader threads while a closer thread closes the tensor and every
 * host array and result taken from it at a random moment. Each call must either complete with the
 * right values or throw {@link ClosedResourceException}; nothing else may escape, nothing may
 * crash, and all memory is released at the end.
 */
class CpuConcurrencyTest {
    private static final int READERS = 3;
    private static final int MAX_ROUNDS = 2000;
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long MAX_CLOSE_DELAY_NANOS = TimeUnit.MICROSECONDS.toNanos(400);
    private static final int ELEMENTS = 48;

    private final Backend cpu = Backends.get("cpu");
    private final MemoryLedger ledger = ((AbstractBackend) cpu).ledger();
    private final Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    private final AtomicLong correctReads = new AtomicLong();
    private final AtomicLong closedRefusals = new AtomicLong();

    /** One round: the tensor under test, its elements, and everything taken from it. */
    private record Round(Tensor tensor, double[] expected, Queue<AutoCloseable> taken) {
        <T extends AutoCloseable> T take(T resource) {
            taken.add(resource);
            return resource;
        }

        void closeTaken() throws Exception {
            for (AutoCloseable resource : taken) {
                resource.close();
            }
        }
    }

    @Test
    void readsAndOperationsRacingWithCloseSucceedWithTheRightValuesOrThrowClosedResource() throws Exception {
        long liveBlocksBefore = ledger.liveBlocks();
        CyclicBarrier start = new CyclicBarrier(READERS + 2);
        CyclicBarrier end = new CyclicBarrier(READERS + 2);
        AtomicReference<Round> current = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
        List<Future<?>> threads = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            threads.add(pool.submit(() -> eachRound(start, end, current, this::read)));
        }
        threads.add(pool.submit(() -> eachRound(start, end, current, this::closeAtARandomMoment)));

        int rounds = 0;
        long began = System.nanoTime();
        try {
            while (rounds < MAX_ROUNDS && System.nanoTime() - began < MAX_NANOS && unexpected.isEmpty()) {
                Round round = newRound(rounds++);
                current.set(round);
                start.await(30, TimeUnit.SECONDS);
                end.await(30, TimeUnit.SECONDS);
                round.tensor().close();
                round.closeTaken();
            }
            current.set(null);
            start.await(30, TimeUnit.SECONDS);
            for (Future<?> thread : threads) {
                thread.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "threads did not stop");
        }

        failOnUnexpected(rounds);
        assertTrue(correctReads.get() > 0, "no read succeeded in " + rounds + " rounds");
        assertTrue(closedRefusals.get() > 0, "no call met a closed resource in " + rounds + " rounds");
        assertEquals(liveBlocksBefore, ledger.liveBlocks(), ledger::toString);
    }

    // ---- the threads ----

    private interface Work {
        void on(Round round) throws Exception;
    }

    /** Runs {@code work} once per round, between the round's start and end barriers, until there is no round. */
    private Void eachRound(CyclicBarrier start, CyclicBarrier end, AtomicReference<Round> current, Work work)
            throws Exception {
        while (true) {
            start.await(30, TimeUnit.SECONDS);
            Round round = current.get();
            if (round == null) {
                return null;
            }
            try {
                work.on(round);
            } catch (Throwable t) {
                unexpected.add(t);
            }
            end.await(30, TimeUnit.SECONDS);
        }
    }

    private void read(Round round) {
        for (CopyPolicy policy : CopyPolicy.values()) {
            for (Access access : Access.values()) {
                guarded(() -> {
                    HostArray host = round.take(round.tensor().toHost(policy, access));
                    assertElements(round.expected(), 0, host);
                    if (access == Access.WRITABLE) {
                        writeBackTheSameValues(host);
                    }
                    host.close();
                });
            }
        }
        guarded(() -> {
            Tensor sum = round.take(round.tensor().add(1));
            HostArray host = round.take(sum.toHost());
            assertElements(round.expected(), 1, host);
        });
    }

    private void closeAtARandomMoment(Round round) throws Exception {
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(MAX_CLOSE_DELAY_NANOS));
        round.tensor().close();
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(MAX_CLOSE_DELAY_NANOS));
        round.closeTaken();
    }

    private interface Call {
        void run() throws Exception;
    }

    private void guarded(Call call) {
        try {
            call.run();
        } catch (ClosedResourceException expected) {
            closedRefusals.incrementAndGet();
        } catch (Throwable t) {
            unexpected.add(t);
        }
    }

    // ---- values ----

    /** Rotates through a copied float32 tensor, a wrapped int32 buffer and a float64 view of a closed tensor. */
    private Round newRound(int number) {
        double[] expected = new double[ELEMENTS];
        for (int i = 0; i < ELEMENTS; i++) {
            expected[i] = 3 * i - 7 + number % 100;
        }
        Tensor tensor = switch (number % 3) {
            case 0 -> {
                float[] data = new float[ELEMENTS];
                for (int i = 0; i < ELEMENTS; i++) {
                    data[i] = (float) expected[i];
                }
                yield cpu.fromBuffer(floatBuffer(data), DType.FLOAT32, Shape.of(ELEMENTS),
                        CopyPolicy.ALWAYS);
            }
            case 1 -> {
                ByteBuffer data = ByteBuffer.allocateDirect(ELEMENTS * Integer.BYTES).order(ByteOrder.nativeOrder());
                for (double value : expected) {
                    data.putInt((int) value);
                }
                yield cpu.fromBuffer(data.flip(), DType.INT32, Shape.of(ELEMENTS), CopyPolicy.NEVER);
            }
            default -> {
                try (Tensor parent = cpu.constant(expected.clone(), 6, ELEMENTS / 6)) {
                    yield parent.reshape(ELEMENTS);
                }
            }
        };
        return new Round(tensor, expected, new ConcurrentLinkedQueue<>());
    }

    private static ByteBuffer floatBuffer(float[] data) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(data.length * Float.BYTES).order(ByteOrder.nativeOrder());
        buffer.asFloatBuffer().put(data);
        return buffer;
    }

    /** Checks every element read one by one and in bulk; a closed array throws before returning a value. */
    private void assertElements(double[] expected, double offset, HostArray host) {
        for (int i = 0; i < expected.length; i++) {
            double actual = host.getAsDouble(i);
            if (actual != expected[i] + offset) {
                throw new AssertionFailedError(host + " element " + i + " read " + actual, expected[i] + offset,
                        actual);
            }
            correctReads.incrementAndGet();
        }
        double[] bulk = host.convertToDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            if (bulk[i] != expected[i] + offset) {
                throw new AssertionFailedError(host + " bulk element " + i + " read " + bulk[i], expected[i] + offset,
                        bulk[i]);
            }
        }
        correctReads.incrementAndGet();
    }

    /** Writes through a writable array without changing what other threads must read. */
    private static void writeBackTheSameValues(HostArray host) {
        for (long i = 0; i < ELEMENTS; i += 7) {
            switch (host.dtype()) {
                case FLOAT32 -> host.setFloat(host.getFloat(i), i);
                case INT32 -> host.setInt(host.getInt(i), i);
                default -> host.setDouble(host.getDouble(i), i);
            }
        }
    }

    private void failOnUnexpected(int rounds) {
        if (unexpected.isEmpty()) {
            return;
        }
        AssertionFailedError failure = new AssertionFailedError(unexpected.size()
                + " unexpected throwables in " + rounds + " rounds; the first is the cause, the next are suppressed",
                unexpected.peek());
        unexpected.stream().skip(1).limit(10).forEach(failure::addSuppressed);
        throw failure;
    }
}
