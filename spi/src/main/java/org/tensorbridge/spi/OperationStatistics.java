package org.tensorbridge.spi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.tensorbridge.op.Operation;

/**
 * What a backend's operations cost in copies: per operation, the calls, the calls that ran through the
 * host fallback, and the bytes the spi copied between the backend's memory and the host for them (a
 * fallback's downloads and uploads). A kernel that returns memory its engine allocated costs 0 bytes.
 * Counters only grow. Thread-safe.
 */
public final class OperationStatistics {
    private final Map<Operation, LongAdder[]> counters = new ConcurrentHashMap<>();

    void record(Operation operation, long bytesCopied, boolean fallback) {
        LongAdder[] c = counters.computeIfAbsent(operation, op -> new LongAdder[] {new LongAdder(), new LongAdder(),
                new LongAdder()});
        c[0].increment();
        c[1].add(bytesCopied);
        if (fallback) {
            c[2].increment();
        }
    }

    /** Calls of {@code operation} that produced a result. */
    public long calls(Operation operation) {
        return read(operation, 0);
    }

    /** Bytes copied between the backend's memory and the host for {@code operation}'s calls. */
    public long bytesCopied(Operation operation) {
        return read(operation, 1);
    }

    /** Calls of {@code operation} that ran through the host fallback. */
    public long fallbacks(Operation operation) {
        return read(operation, 2);
    }

    private long read(Operation operation, int counter) {
        LongAdder[] c = counters.get(operation);
        return c == null ? 0 : c[counter].sum();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        counters.forEach((op, c) -> text.append(text.length() > 0 ? ", " : "").append(op).append(": ").append(c[0].sum())
                .append(" calls, ").append(c[1].sum()).append(" bytes copied, ").append(c[2].sum()).append(" fallbacks"));
        return text.toString();
    }
}
