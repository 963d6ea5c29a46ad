package org.tensorbridge.flight;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Lets calls run at once and a close wait for them: calls hold a read lock, the close the write lock. A client
 * closes its connection through this so that no call in flight holds buffers of the allocator the close frees.
 * Thread-safe.
 */
final class CallGate {
    /** How long a close waits for the calls in flight. */
    static final int CLOSE_WAIT_SECONDS = 10;

    private final ReentrantReadWriteLock calls = new ReentrantReadWriteLock();

    /** {@code call}'s result, with a close held off while it runs. */
    <T> T pass(Supplier<T> call) {
        calls.readLock().lock();
        try {
            return call.get();
        } finally {
            calls.readLock().unlock();
        }
    }

    /** Runs {@code close} once the calls in flight have finished, or after {@link #CLOSE_WAIT_SECONDS} anyway. */
    void close(InterruptibleClose close) {
        boolean alone = false;
        try {
            alone = calls.writeLock().tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            close.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (alone) {
                calls.writeLock().unlock();
            }
        }
    }

    /** A close that may be interrupted while it waits, as {@code FlightClient.close()}. */
    interface InterruptibleClose {
        void close() throws InterruptedException;
    }
}
