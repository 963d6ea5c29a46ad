package org.tensorbridge.flight;

import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.tensorbridge.Backend;

/**
 * The settings a running server's calls read: the server's allocator, the batch and size limits, the
 * stall timeout, and the backend that checks received sparse tensors (found on first use). Immutable
 * and thread-safe.
 */
final class ServerSettings {
    private final BufferAllocator allocator;
    private final long batchBytes;
    private final int maxMessageBytes;
    private final long maxTensorBytes;
    private final long stallMillis;
    private final Supplier<Backend> checkBackend;
    private volatile Backend backend;

    ServerSettings(BufferAllocator allocator, long batchBytes, int maxMessageBytes, long maxTensorBytes,
            long stallMillis, Supplier<Backend> checkBackend) {
        this.allocator = allocator;
        this.batchBytes = batchBytes;
        this.maxMessageBytes = maxMessageBytes;
        this.maxTensorBytes = maxTensorBytes;
        this.stallMillis = stallMillis;
        this.checkBackend = checkBackend;
    }

    BufferAllocator allocator() {
        return allocator;
    }

    /** Data bytes per {@code DoGet} batch when the client does not ask for another size. */
    long batchBytes() {
        return batchBytes;
    }

    /** The largest message the server takes, and the most data bytes it puts in one batch. */
    int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** The most bytes one {@code DoPut} may bring. */
    long maxTensorBytes() {
        return maxTensorBytes;
    }

    /** How long a {@code DoGet} waits for a client that reads nothing. */
    long stallMillis() {
        return stallMillis;
    }

    /** The backend that checks received sparse tensors. */
    Backend checkBackend() {
        Backend found = backend;
        if (found == null) {
            found = checkBackend.get();
            backend = found;
        }
        return found;
    }
}
