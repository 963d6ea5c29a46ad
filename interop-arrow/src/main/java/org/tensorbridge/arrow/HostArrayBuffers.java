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
 * vector. Arrow allocates only the validity bitmaps (all valid: one bit per element, set to one).
 * Stateless and thread-safe.
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
     * Makes {@code data} the values of a fixed-width {@code vector} of {@code count} valid elements; the
     * vector takes its own reference, so the caller still owns (and closes) {@code data}.
     */
    static void loadFixedWidth(FieldVector vector, long count, ArrowBuf data, BufferAllocator allocator) {
        vector.loadFieldBuffers(new ArrowFieldNode(count, 0), Arrays.asList(allocator.getEmpty(), data));
    }

    /** Marks {@code rows} valid rows in a fixed-size list whose child is already loaded. */
    static void loadRows(FixedSizeListVector vector, long rows, BufferAllocator allocator) {
        vector.loadFieldBuffers(new ArrowFieldNode(rows, 0), List.of(allocator.getEmpty()));
    }

    private static void closeQuietly(AutoCloseable closeable, Throwable failure) {
        try {
            closeable.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
