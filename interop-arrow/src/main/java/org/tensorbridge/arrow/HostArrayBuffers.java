package org.tensorbridge.arrow;

import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.tensorbridge.HostArray;

/**
 * Puts host memory into Arrow vectors without copying it: {@link #wrap} turns a host array's memory
 * into an {@link ArrowBuf} counted by an allocator, and the {@code load} methods make it the data of a
 * vector, with validity bitmaps that say every value is valid. Stateless and thread-safe.
 */
final class HostArrayBuffers {
    private HostArrayBuffers() {
    }

    /**
     * An Arrow buffer over {@code array}'s elements. The caller owns the returned buffer (one reference);
     * when the last reference to the memory is released, {@code release} is closed, exactly once. If this
     * method throws, {@code release} has been closed.
     */
    static ArrowBuf wrap(HostArray array, BufferAllocator allocator, AutoCloseable release) {
        HostArrayAllocation allocation;
        try {
            allocation = HostArrayAllocation.over(array.asByteBuffer(), release);
        } catch (RuntimeException | Error e) {
            closeQuietly(release, e);
            throw e;
        }
        try {
            return allocator.wrapForeignAllocation(allocation);
        } catch (RuntimeException | Error e) {
            // Arrow releases the allocation itself when it fails after accounting; not when accounting fails.
            allocation.releaseNow();
            throw e;
        }
    }

    /**
     * Makes {@code data} the values of a fixed-width {@code vector} of {@code count} valid elements, with
     * {@code validity} as its bitmap: at least {@code count} set bits, or an empty buffer for a bitmap
     * of the vector's own that Arrow allocates and sets. The vector takes its own references, so the
     * caller still owns (and closes) both buffers.
     */
    static void loadFixedWidth(FieldVector vector, long count, ArrowBuf data, ArrowBuf validity) {
        vector.loadFieldBuffers(new ArrowFieldNode(count, 0), Arrays.asList(validity, data));
    }

    /**
     * Marks {@code rows} valid rows in a fixed-size list whose child is already loaded, with
     * {@code validity} as {@link #loadFixedWidth} takes it.
     */
    static void loadRows(FixedSizeListVector vector, long rows, ArrowBuf validity) {
        vector.loadFieldBuffers(new ArrowFieldNode(rows, 0), List.of(validity));
    }

    /** The bytes of a validity bitmap for {@code count} values. */
    static long bitmapBytes(long count) {
        return (count + 7) >>> 3;
    }

    private static void closeQuietly(AutoCloseable closeable, Throwable failure) {
        try {
            closeable.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
