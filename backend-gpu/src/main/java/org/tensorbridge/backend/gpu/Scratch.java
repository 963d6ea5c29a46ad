package org.tensorbridge.backend.gpu;

import org.jocl.cl_mem;

/**
 * A temporary device buffer of one operation (sort keys, prefix sums, broadcast strides): created
 * by a {@link ClQueue} and closed within the same locked block, counted by {@link ClContext#liveBuffers()}.
 * Not thread-safe; close it once, with try-with-resources.
 */
final class Scratch implements AutoCloseable {
    private final ClContext context;
    private final cl_mem memory;
    private final long bytes;

    Scratch(ClContext context, cl_mem memory, long bytes) {
        this.context = context;
        this.memory = memory;
        this.bytes = bytes;
    }

    cl_mem memory() {
        return memory;
    }

    @Override
    public void close() {
        context.release(memory, bytes);
    }
}
