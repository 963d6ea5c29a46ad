package org.tensorbridge.arrow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.ArrowBuf;

/**
 * One reference to the memory of an {@link ArrowBuf}, taken on creation and released by the first
 * {@link #close()}: the owner handed to {@code Backend.fromBuffer} for a tensor over Arrow memory, so
 * that the memory stays allocated (and counted by its allocator) until the tensor and every host array
 * or view over it let go, whatever happens to the vector the buffer came from.
 *
 * <p>Thread-safe; closing twice is harmless.
 */
final class ArrowBufReference implements AutoCloseable {
    private final ArrowBuf buffer;
    private final AtomicBoolean released = new AtomicBoolean();

    private ArrowBufReference(ArrowBuf buffer) {
        this.buffer = buffer;
    }

    /** Retains {@code buffer}'s memory; the caller closes the result (or hands it to an owner that will). */
    static ArrowBufReference retain(ArrowBuf buffer) {
        buffer.getReferenceManager().retain();
        return new ArrowBufReference(buffer);
    }

    /**
     * A native-order direct buffer over {@code length} bytes from {@code offset} in the memory; it does
     * not keep the memory alive by itself, this reference does.
     */
    ByteBuffer view(long offset, long length) {
        if (length > Integer.MAX_VALUE) {
            throw new ArrowLayoutException(length + " bytes do not fit one ByteBuffer (at most "
                    + Integer.MAX_VALUE + "); split the column into smaller record batches");
        }
        return buffer.nioBuffer(offset, (int) length).order(ByteOrder.nativeOrder());
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            buffer.getReferenceManager().release();
        }
    }
}
