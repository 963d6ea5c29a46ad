package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.tensorbridge.Access;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.AbstractBackend;

/** Rules 3.x: lifetime, use after close, races and leaks. */
public interface LifetimeRules extends KitContext {

    @Test
    @ConformanceRule("3.1")
    default void shareOutlivesTensor() {
        double[] values = {3, 1, 4, 1, 5, 9};
        HostArray host;
        try (Tensor tensor = fixtures().tensor(DType.FLOAT32, Shape.of(2, 3), values)) {
            host = tensor.toHost(CopyPolicy.IF_NEEDED);
        }
        try (host) {
            assertArrayEquals(values, host.convertToDoubleArray(), "a " + host.sharing()
                    + " host array lost its values when the tensor was closed");
            assertEquals(9.0, host.getAsDouble(1, 2), "element read after the tensor was closed");
        }
    }

    @Test
    @ConformanceRule("3.2")
    default void useAfterCloseThrows() {
        Tensor tensor = fixtures().floats(1, 2, 3, 4);
        HostArray host = tensor.toHost();
        try (Tensor other = fixtures().floats(1, 1, 1, 1)) {
            tensor.close();
            host.close();
            List<Executable> uses = List.of(
                    () -> tensor.toHost().close(),
                    () -> tensor.toHost(CopyPolicy.ALWAYS).close(),
                    () -> tensor.add(other).close(),
                    () -> other.add(tensor).close(),
                    () -> tensor.multiply(2).close(),
                    () -> tensor.reshape(2, 2).close(),
                    () -> tensor.cast(castTarget()).close(),
                    () -> host.getFloat(0),
                    () -> host.getAsDouble(0),
                    () -> host.asByteBuffer(),
                    () -> host.toFloatArray(),
                    () -> host.copyTo(new float[4]),
                    () -> host.convertToDoubleArray(),
                    () -> host.formatValues());
            for (int i = 0; i < uses.size(); i++) {
                assertThrows(ClosedResourceException.class, uses.get(i), "use #" + i + " after close did not throw "
                        + "ClosedResourceException");
            }
            assertTrue(tensor.isClosed() && host.isClosed(), "isClosed() is false after close()");
        }
    }

    @Test
    @ConformanceRule("3.3")
    default void doubleCloseIsHarmless() {
        Tensor tensor = fixtures().floats(1, 2);
        HostArray host = tensor.toHost();
        Tensor view = tensor.reshape(2, 1);
        tensor.close();
        tensor.close();
        host.close();
        host.close();
        try (view; HostArray viewHost = view.toHost(CopyPolicy.ALWAYS)) {
            assertArrayEquals(new double[] {1, 2}, viewHost.convertToDoubleArray(),
                    "closing a tensor twice released memory that its reshaped view still holds");
        }
        view.close();
    }

    @Test
    @ConformanceRule("3.4")
    default void concurrentCloseAndReadNeverCrash() throws InterruptedException {
        int rounds = 200;
        int readers = 3;
        int size = 1024;
        double[] values = Elements.sequence(DType.FLOAT32, size);
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        Random random = fixtures().random("3.4");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int round = 0; round < rounds && System.nanoTime() < deadline && unexpected.isEmpty(); round++) {
            Tensor tensor = fixtures().tensor(DType.FLOAT32, Shape.of(size), values);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                CopyPolicy policy = CopyPolicy.values()[(round + r) % 3];
                Access access = Access.values()[(round + r) % 2];
                threads.add(new Thread(() -> readUntilClosed(tensor, policy, access, values, start, unexpected)));
            }
            int delayMicros = random.nextInt(200);
            threads.forEach(Thread::start);
            start.countDown();
            long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(delayMicros);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            tensor.close();
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
        if (!unexpected.isEmpty()) {
            AssertionError error = new AssertionError("a read racing with close() failed with something other than "
                    + "ClosedResourceException or read a wrong value (seed " + fixtures().seed() + "): "
                    + unexpected.peek());
            unexpected.forEach(error::addSuppressed);
            throw error;
        }
    }

    private static void readUntilClosed(Tensor tensor, CopyPolicy policy, Access access, double[] expected,
            CountDownLatch start, ConcurrentLinkedQueue<Throwable> unexpected) {
        try {
            start.await();
            for (int i = 0; i < 50; i++) {
                try (HostArray host = tensor.toHost(policy, access)) {
                    for (int k = 0; k < expected.length; k += 97) {
                        double value = host.getAsDouble(k);
                        if (value != expected[k]) {
                            unexpected.add(new AssertionError("element " + k + " read " + value + ", expected "
                                    + expected[k]));
                        }
                    }
                } catch (ClosedResourceException | CopyRequiredException documented) {
                    // The tensor was closed first, or the policy cannot be met: both are documented outcomes.
                }
            }
        } catch (Throwable t) {
            unexpected.add(t);
        }
    }

    @Test
    @ConformanceRule("3.5")
    default void closingEverythingReturnsMemory() {
        assumeTrue(backend() instanceof AbstractBackend, "backend is not built on org.tensorbridge.spi.AbstractBackend, "
                + "so the kit cannot read its memory ledger");
        MemoryLedger ledger = ((AbstractBackend) backend()).ledger();
        long before = ledger.liveBlocks();
        long bytesBefore = ledger.liveBytes();
        try (Tensor a = fixtures().tensor(DType.FLOAT32, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
                Tensor mismatched = fixtures().floats(1, 2);
                Tensor b = a.add(a);
                Tensor c = b.reshape(3, 2);
                Tensor d = declares(Operations.MATMUL, DType.FLOAT32) ? c.matmul(a) : c.add(c);
                Tensor e = declares(Operations.CAST, DType.FLOAT32) ? d.cast(castTarget()) : d.add(d)) {
            for (CopyPolicy policy : CopyPolicy.values()) {
                for (Access access : Access.values()) {
                    try (HostArray host = e.toHost(policy, access)) {
                        host.getAsDouble(0, 0);
                    } catch (CopyRequiredException refused) {
                        // Not this rule's concern.
                    }
                }
            }
            assertThrows(RuntimeException.class, () -> a.add(mismatched).close(),
                    "a failing operation is part of the workload");
        }
        assertEquals(before, ledger.liveBlocks(), "live memory blocks did not return to their starting count after "
                + "everything was closed: " + ledger);
        assertEquals(bytesBefore, ledger.liveBytes(), "live bytes did not return to the start: " + ledger);
    }

    @Test
    @ConformanceRule("3.6")
    default void reshapeSharesAndKeepsAlive() {
        double[] values = {1, 2, 3, 4, 5, 6};
        Tensor view;
        var mutable = fixtures().mutable(DType.FLOAT32, Shape.of(6), values);
        if (mutable.isPresent()) {
            MutableTensor m = mutable.get();
            view = m.tensor().reshape(2, 3);
            m.set(4, -5);
            m.close();
            values = values.clone();
            values[4] = -5;
        } else {
            try (Tensor tensor = fixtures().tensor(DType.FLOAT32, Shape.of(6), values)) {
                view = tensor.reshape(2, 3);
            }
        }
        try (view) {
            assertEquals(Shape.of(2, 3), view.shape(), "reshape(2, 3) shape");
            assertArrayEquals(values, fixtures().values(view), "the reshaped view after its source was closed"
                    + (mutable.isPresent() ? " (a change made to the source before must show: the view shares)" : ""));
        } catch (ClosedResourceException e) {
            fail("the reshaped view died with its source: " + e.getMessage());
        }
    }

    @Test
    @ConformanceRule("3.7")
    default void readsNeverSeeMemoryItsOwnerFreed() throws InterruptedException {
        int size = 256;
        double[] values = Elements.sequence(DType.FLOAT32, size);
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int round = 0; round < 300 && System.nanoTime() < deadline && unexpected.isEmpty(); round++) {
            java.nio.ByteBuffer memory = Elements.buffer(DType.FLOAT32, values);
            // The owner "frees" the memory by poisoning it, which a read of freed memory would see.
            AutoCloseable owner = () -> {
                for (int i = 0; i < size; i++) {
                    memory.putFloat(i * Float.BYTES, Float.NaN);
                }
            };
            Tensor tensor = backend().fromBuffer(memory, DType.FLOAT32, Shape.of(size), CopyPolicy.IF_NEEDED, owner);
            HostArray host = tensor.toHost(CopyPolicy.IF_NEEDED);
            tensor.close();
            CountDownLatch reading = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try {
                    // Whole-array reads keep an access in flight for a long stretch, so close() lands inside one.
                    while (true) {
                        double[] read = host.convertToDoubleArray();
                        reading.countDown();
                        for (int k = 0; k < size; k++) {
                            if (read[k] != values[k]) {
                                unexpected.add(new AssertionError("element " + k + " read " + read[k] + " after its "
                                        + "owner freed the memory (expected " + values[k] + ")"));
                                return;
                            }
                        }
                    }
                } catch (ClosedResourceException documented) {
                    // Closed: the documented outcome.
                } catch (Throwable t) {
                    unexpected.add(t);
                }
            });
            reader.start();
            reading.await(10, TimeUnit.SECONDS);
            host.close();
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (!unexpected.isEmpty()) {
            throw new AssertionError("a read racing with close saw freed memory or failed unexpectedly: "
                    + unexpected.peek(), unexpected.peek());
        }
    }
}
