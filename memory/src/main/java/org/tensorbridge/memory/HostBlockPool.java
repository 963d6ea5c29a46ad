package org.tensorbridge.memory;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Direct host blocks kept for reuse, so that a host copy of a tensor costs the copy and not also a
 * {@code ByteBuffer.allocateDirect} (which zeroes every byte, and whose memory only the GC returns).
 *
 * <p>Only blocks that never left the library come back here: {@link HostStorage} returns a block on
 * free only if no {@code ByteBuffer} over it was handed out (see {@link HostStorage#buffer()}), so no
 * stale buffer anywhere can read or write a block after it is reused. A reused block is not zeroed:
 * it is lent only for copies that overwrite every byte.
 *
 * <p>Sizes are rounded up to classes (powers of two, and quarter steps between them above 4 KiB), so
 * a freed block serves any request of its class; at most {@link #limitBytes()} bytes wait here
 * (system property {@code tensorbridge.host.pool.bytes}; default a quarter of the maximum heap, at
 * most 1 GiB; 0 turns reuse off). Thread-safe; lock-free.
 */
final class HostBlockPool {
    static final HostBlockPool SHARED = new HostBlockPool(configuredLimit());

    private static final int SMALLEST_CLASS = 256;

    private final long limitBytes;
    private final AtomicLong heldBytes = new AtomicLong();
    private final ConcurrentHashMap<Integer, ConcurrentLinkedDeque<ByteBuffer>> free = new ConcurrentHashMap<>();

    HostBlockPool(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    private static long configuredLimit() {
        String configured = System.getProperty("tensorbridge.host.pool.bytes");
        if (configured != null) {
            try {
                return Math.max(0, Long.parseLong(configured.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("tensorbridge.host.pool.bytes is '" + configured + "'; give a "
                        + "number of bytes, or 0 to turn reuse of host blocks off", e);
            }
        }
        return Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
    }

    /** Bytes this pool may hold while no one uses them. */
    long limitBytes() {
        return limitBytes;
    }

    /** Bytes held now. */
    long heldBytes() {
        return heldBytes.get();
    }

    /**
     * A block of at least {@code byteSize} bytes (its capacity is the size class), position 0; from
     * the pool when one is free, else new. Its contents are undefined.
     */
    ByteBuffer take(int byteSize) {
        int size = classSize(byteSize);
        if (size > 0 && limitBytes > 0) {
            ConcurrentLinkedDeque<ByteBuffer> blocks = free.get(size);
            ByteBuffer reused = blocks == null ? null : blocks.pollFirst();
            if (reused != null) {
                heldBytes.addAndGet(-size);
                return reused.clear();
            }
        }
        return ByteBuffer.allocateDirect(size > 0 ? size : byteSize);
    }

    /** Gives back a block from {@link #take}; kept if there is room, else left to the GC. */
    void give(ByteBuffer block) {
        int size = block.capacity();
        if (classSize(size) != size || limitBytes <= 0) {
            return;
        }
        if (heldBytes.addAndGet(size) > limitBytes) {
            heldBytes.addAndGet(-size);
            return;
        }
        free.computeIfAbsent(size, s -> new ConcurrentLinkedDeque<>()).offerFirst(block);
    }

    /** Lets the GC have every held block. */
    void clear() {
        free.forEach((size, blocks) -> {
            while (blocks.pollFirst() != null) {
                heldBytes.addAndGet(-size);
            }
        });
    }

    /**
     * The size class of {@code byteSize}: 256 at least; up to 4 KiB the next power of two; above, the
     * next quarter step below the next power of two, so at most a quarter is wasted. 0 when a class
     * would not fit an int (the block is then allocated exactly and never pooled).
     */
    static int classSize(int byteSize) {
        if (byteSize <= SMALLEST_CLASS) {
            return SMALLEST_CLASS;
        }
        long power = Long.highestOneBit(byteSize - 1L) << 1;
        if (power <= 4096) {
            return (int) power;
        }
        long step = power / 8;
        long size = (byteSize + step - 1) / step * step;
        return size > Integer.MAX_VALUE ? 0 : (int) size;
    }
}
