package org.tensorbridge.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.HostArray;
import org.tensorbridge.Tensor;

/**
 * A bounded stress run for one backend: worker threads create tensors, convert them under every
 * {@link CopyPolicy} × {@link Access}, operate on them, reshape (share) them and close them, while
 * closer threads close the same tensors and host arrays at random moments. Every value read must be
 * right or the read must throw {@link ClosedResourceException}; any other exception is a failure.
 * The caller checks the backend's memory afterwards (every reference released).
 *
 * <p>Runs for at most the given time or iterations, whichever ends first. Not thread-safe itself;
 * one run at a time.
 */
public final class StressRun {
    private final Backend backend;
    private final int workers;
    private final int closers;
    private final long iterations;
    private final long millis;
    private final long seed;

    /** Outcome of a run. */
    public record Result(long operations, long valuesChecked, long closedRefusals, List<Throwable> failures) {
    }

    /**
     * @param backend the backend under stress
     * @param workers threads creating, converting and operating
     * @param closers threads closing what the workers share
     * @param iterations iterations per worker at most
     * @param millis wall-clock bound
     * @param seed seed of the random choices
     */
    public StressRun(Backend backend, int workers, int closers, long iterations, long millis, long seed) {
        this.backend = backend;
        this.workers = workers;
        this.closers = closers;
        this.iterations = iterations;
        this.millis = millis;
        this.seed = seed;
    }

    /** Runs and reports; waits for every thread. */
    public Result run() throws InterruptedException {
        CopyOnWriteArrayList<AutoCloseable> shared = new CopyOnWriteArrayList<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong operations = new AtomicLong();
        AtomicLong checked = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Random random = new Random(seed + w);
            threads.add(new Thread(() -> {
                for (long i = 0; i < iterations && System.nanoTime() < deadline; i++) {
                    try {
                        work(random, shared, operations, checked);
                    } catch (ClosedResourceException | CopyRequiredException documented) {
                        refused.incrementAndGet();
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }
            }, "stress-worker-" + w));
        }
        for (int c = 0; c < closers; c++) {
            Random random = new Random(seed * 7 + c);
            threads.add(new Thread(() -> {
                while (System.nanoTime() < deadline && threads.stream().limit(workers).anyMatch(Thread::isAlive)) {
                    int size = shared.size();
                    if (size > 0) {
                        try {
                            shared.get(random.nextInt(size)).close();
                        } catch (IndexOutOfBoundsException raced) {
                            // The list shrank meanwhile; pick again.
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    }
                    Thread.onSpinWait();
                }
            }, "stress-closer-" + c));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        for (AutoCloseable resource : shared) {
            try {
                resource.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        return new Result(operations.get(), checked.get(), refused.get(), List.copyOf(failures));
    }

    private void work(Random random, List<AutoCloseable> shared, AtomicLong operations, AtomicLong checked) {
        int n = 1 + random.nextInt(256);
        float[] values = new float[n];
        for (int k = 0; k < n; k++) {
            values[k] = k;
        }
        Tensor tensor = backend.constant(values);
        shared.add(tensor);
        try {
            CopyPolicy policy = CopyPolicy.values()[random.nextInt(3)];
            Access access = Access.values()[random.nextInt(2)];
            try (Tensor doubled = tensor.multiply(2); Tensor view = doubled.reshape(n, 1)) {
                HostArray host = view.toHost(policy, access);
                shared.add(host);
                try {
                    for (int k = 0; k < n; k += 1 + random.nextInt(16)) {
                        float read = host.getFloat(k, 0);
                        if (read != 2f * k) {
                            throw new AssertionError("element " + k + " read " + read + ", expected " + 2f * k);
                        }
                        checked.incrementAndGet();
                    }
                } finally {
                    host.close();
                    shared.remove(host);
                }
            }
            operations.incrementAndGet();
        } finally {
            tensor.close();
            shared.remove(tensor);
        }
    }
}
