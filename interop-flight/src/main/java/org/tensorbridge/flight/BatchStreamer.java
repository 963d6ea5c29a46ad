package org.tensorbridge.flight;

import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * One {@code DoGet}: streams a {@link Published} entry in batches of at most {@code batchBytes} bytes of
 * data (at least one row each: a row larger than the bound goes alone). Each batch is a slice of the entry's
 * buffers (Arrow's {@code splitAndTransfer}: no copy of the data; Arrow allocates the validity bitmaps), and
 * Flight writes it to the connection straight from those buffers ({@code setUseZeroCopy}).
 *
 * <p>It waits for the client to be ready before each batch (backpressure), so that a slow reader costs the
 * server no queued messages, and stops at once when the client cancels or disconnects; a client that reads
 * nothing for {@code stallMillis} is dropped with {@code TIMED_OUT}. Either way every slice is released.
 * Not thread-safe: one streamer per call.
 */
final class BatchStreamer {
    /** What happened to the stream. */
    enum Outcome {
        COMPLETED, CANCELLED, TIMED_OUT
    }

    private final BufferAllocator allocator;
    private final long stallMillis;
    private long sent;

    BatchStreamer(BufferAllocator allocator, long stallMillis) {
        this.allocator = allocator;
        this.stallMillis = stallMillis;
    }

    /**
     * Streams {@code entry} to {@code listener}; returns how it ended. The caller completes the stream after
     * {@code COMPLETED}; a timed-out stream has been ended with its error here.
     */
    Outcome stream(Published entry, long batchBytes, ServerStreamListener listener) {
        BackpressureStrategy backpressure = new BackpressureStrategy.CallbackBackpressureStrategy();
        backpressure.register(listener);
        listener.setUseZeroCopy(true);
        try (VectorSchemaRoot source = VectorSchemaRoot.create(entry.schema(), allocator);
                VectorSchemaRoot out = VectorSchemaRoot.create(entry.schema(), allocator)) {
            VectorLoader sourceLoader = new VectorLoader(source);
            VectorLoader outLoader = new VectorLoader(out);
            listener.start(out);
            long rowBytes = Math.max(1, entry.info().bytes() / Math.max(1, entry.info().rows()));
            int step = rowsPerBatch(batchBytes, rowBytes);
            for (ArrowRecordBatch stored : entry.batches()) {
                int rows = stored.getLength();
                if (rows <= step) {
                    Outcome waited = await(backpressure, listener);
                    if (waited != Outcome.COMPLETED) {
                        return waited;
                    }
                    outLoader.load(stored);
                    listener.putNext();
                    sent++;
                    continue;
                }
                sourceLoader.load(stored);
                for (int from = 0; from < rows; from += step) {
                    Outcome waited = await(backpressure, listener);
                    if (waited != Outcome.COMPLETED) {
                        return waited;
                    }
                    try (VectorSchemaRoot slice = source.slice(from, Math.min(step, rows - from));
                            ArrowRecordBatch piece = new VectorUnloader(slice).getRecordBatch()) {
                        outLoader.load(piece);
                    }
                    listener.putNext();
                    sent++;
                }
            }
            return Outcome.COMPLETED;
        }
    }

    /** The batches sent so far. */
    long batchesSent() {
        return sent;
    }

    /**
     * Rows per batch for rows of {@code rowBytes}: as many as fit in {@code batchBytes}, at least one, and a
     * multiple of 8 from 8 on, so that slices start on a byte of the validity bitmaps and share them.
     */
    static int rowsPerBatch(long batchBytes, long rowBytes) {
        long rows = Math.max(1, batchBytes / rowBytes);
        if (rows >= 8) {
            rows -= rows % 8;
        }
        return (int) Math.min(rows, Integer.MAX_VALUE - 7);
    }

    private Outcome await(BackpressureStrategy backpressure, ServerStreamListener listener) {
        if (listener.isCancelled()) {
            return Outcome.CANCELLED;
        }
        switch (backpressure.waitForListener(stallMillis)) {
            case READY:
                return Outcome.COMPLETED;
            case CANCELLED:
                return Outcome.CANCELLED;
            case TIMEOUT:
                listener.error(CallStatus.TIMED_OUT.withDescription("the client read nothing for " + stallMillis
                        + " ms; the stream was dropped. Read the stream as it arrives").toRuntimeException());
                return Outcome.TIMED_OUT;
            default:
                return listener.isCancelled() ? Outcome.CANCELLED : Outcome.COMPLETED;
        }
    }
}
