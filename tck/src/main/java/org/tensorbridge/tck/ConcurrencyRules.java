package org.tensorbridge.tck;

import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * Rule 6.7: operations from several threads at once give each thread its own right values. Threads start
 * each round together at a barrier, with inputs large enough that calls overlap, so that state shared
 * between calls (a scratch buffer, a cached kernel argument) is caught on every run, not now and then.
 */
public interface ConcurrencyRules extends KitContext {
    /** Threads that run at once. */
    int THREADS = 8;
    /** Rounds each thread runs. */
    int ROUNDS = 40;
    /** Elements per tensor: enough that one call takes long enough to overlap the others. */
    int ELEMENTS = 1 << 16;

    @Test
    @ConformanceRule("6.7")
    default void concurrentOperationsGiveEachThreadItsOwnValues() throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            threads[t] = new Thread(() -> work(id, start, wrong, thrown), "tck-6.7-" + t);
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(120));
        }
        if (!wrong.isEmpty()) {
            // A worker's exception is the cause, so the report can name the spi hook it came from.
            AssertionFailedError failure = new AssertionFailedError(THREADS + " threads computing at once got "
                    + "others' values or failed: " + List.copyOf(wrong).subList(0, Math.min(3, wrong.size())),
                    thrown.peek());
            thrown.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private void work(int id, CyclicBarrier start, ConcurrentLinkedQueue<String> wrong,
            ConcurrentLinkedQueue<Throwable> thrown) {
        double[] values = new double[ELEMENTS];
        for (int i = 0; i < ELEMENTS; i++) {
            values[i] = id * 1000 + (i % 512);
        }
        boolean reported = false;
        try (Tensor a = fixtures().tensor(DType.FLOAT32, Shape.of(ELEMENTS), values)) {
            for (int round = 0; round < ROUNDS; round++) {
                start.await(60, TimeUnit.SECONDS);
                try (Tensor sum = a.add(a); Tensor scaled = sum.multiply(0.5)) {
                    double[] result = fixtures().values(scaled);
                    for (int i = 0; i < ELEMENTS && !reported; i++) {
                        if (result[i] != values[i]) {
                            wrong.add("thread " + id + " round " + round + " element " + i + " is " + result[i]
                                    + ", expected " + values[i]);
                            reported = true; // keep meeting the barrier, so the other threads finish too
                        }
                    }
                }
            }
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            wrong.add("thread " + id + " stopped: " + e);
        } catch (RuntimeException e) {
            wrong.add("thread " + id + " failed: " + e);
            thrown.add(e);
        }
    }
}
