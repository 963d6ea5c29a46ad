package org.tensorbridge.arrow;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Validity bitmaps with every bit set, for the read-only columns {@link ArrowExport} makes, without
 * writing one per column: one block of set bits, allocated once for the process and grown when a larger
 * column needs more, is lent to each column as a foreign allocation of its allocator. An export then
 * costs the same whatever the size of the tensor, where writing a bitmap costs one bit per element
 * (in the P6 benchmark, writing the bitmaps was nearly all the time of exporting a 256 MiB tensor).
 *
 * <h2>Why sharing is safe</h2>
 * Arrow Java cannot make a buffer read-only, so the sharing rests on the rule that already makes a
 * {@code READ_ONLY} export's data safe: no one writes through a read-only column. Every way to change
 * a validity bit (Arrow's {@code setNull}, {@code reset}, writing through {@code getValidityBuffer()})
 * is such a write; reading the column, writing it to IPC or the C Data Interface, slicing and
 * transferring it only read the bitmap ({@code ArrowExportTest} shows those leave it set). Writable
 * columns get bitmaps of their own. And a broken promise fails safe: a write can only clear bits, so it
 * makes elements of other read-only columns look null (refused by every import here), never garbage
 * look valid.
 *
 * <h2>Lifetime and accounting</h2>
 * Each lent buffer is counted by the allocator it was lent to, as the bitmap Arrow would have allocated
 * is, so a column left open still fails that allocator's {@code close()}. A block is freed when nothing
 * holds it: the current block is held for the life of the process (it is what makes the next export
 * cheap: at most one bit per element of the largest column exported, 256 MiB at Arrow's limit of
 * {@code Integer.MAX_VALUE} elements), a block that was outgrown is freed when the last column over it
 * is closed. Closing one column never frees memory another still uses. Thread-safe.
 */
final class AllValidBitmaps {
    /** The smallest block: one page, enough for every column of up to 32768 elements. */
    private static final long MIN_BLOCK_BYTES = 4096;
    private static final Object GROWING = new Object();
    /**
     * Every block not yet freed, replaced (under {@link #GROWING}) rather than changed, so that {@link #holds}
     * reads it without a lock; a block leaves it before it is freed.
     */
    private static volatile Block[] live = new Block[0];
    private static volatile Block current;

    private AllValidBitmaps() {
    }

    /**
     * A buffer of {@code bytes} bytes with every bit set, counted by {@code allocator}; the caller owns
     * one reference and must not write to it. {@code allocator.getEmpty()} for 0 bytes.
     *
     * @throws org.apache.arrow.memory.OutOfMemoryException if the allocator's limit does not allow it
     */
    static ArrowBuf lend(BufferAllocator allocator, long bytes) {
        if (bytes == 0) {
            return allocator.getEmpty();
        }
        Block block = acquire(bytes);
        Lent lent = new Lent(block, bytes);
        try {
            return allocator.wrapForeignAllocation(lent);
        } catch (RuntimeException | Error e) {
            // Arrow releases the allocation itself when it fails after accounting; not when accounting fails.
            lent.release0();
            throw e;
        }
    }

    /**
     * Whether {@code buffer}'s memory lies in a block this class lends: its bits are all set, so a vector
     * whose validity buffer it is has no null among the elements the buffer covers.
     */
    static boolean holds(ArrowBuf buffer) {
        long start = buffer.memoryAddress();
        long end = start + buffer.capacity();
        for (Block block : live) {
            if (start >= block.address && end <= block.address + block.bytes) {
                return true;
            }
        }
        return false;
    }

    /** The number of blocks not yet freed (the current one and outgrown ones still lent); for tests. */
    static int liveBlocks() {
        return live.length;
    }

    /** The size of the current block, 0 before the first export; for tests. */
    static long currentBlockBytes() {
        Block block = current;
        return block == null ? 0 : block.bytes;
    }

    private static Block acquire(long bytes) {
        Block block = current;
        if (block != null && block.bytes >= bytes && block.tryRetain()) {
            return block;
        }
        synchronized (GROWING) {
            block = current;
            if (block != null && block.bytes >= bytes && block.tryRetain()) {
                return block;
            }
            long size = Math.max(MIN_BLOCK_BYTES, block == null ? 0 : block.bytes);
            while (size < bytes) {
                size = size > Long.MAX_VALUE / 2 ? bytes : size * 2;
            }
            Block grown = Block.allocate(size);
            grown.tryRetain();
            current = grown;
            if (block != null) {
                block.release();
            }
            return grown;
        }
    }

    /** Native memory of set bits, freed when its holders (the current slot, lent buffers) have let go. */
    private static final class Block {
        final long address;
        final long bytes;
        /** The current slot's hold and one per lent buffer; 0 once freed, and it never rises again. */
        private final AtomicInteger holders = new AtomicInteger(1);

        private Block(long address, long bytes) {
            this.address = address;
            this.bytes = bytes;
        }

        static Block allocate(long bytes) {
            long address = MemoryUtil.allocateMemory(bytes);
            MemoryUtil.setMemory(address, bytes, (byte) 0xff);
            Block block = new Block(address, bytes);
            Block[] blocks = Arrays.copyOf(live, live.length + 1);
            blocks[blocks.length - 1] = block;
            live = blocks;
            return block;
        }

        boolean tryRetain() {
            for (;;) {
                int count = holders.get();
                if (count == 0) {
                    return false;
                }
                if (holders.compareAndSet(count, count + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (holders.decrementAndGet() == 0) {
                synchronized (GROWING) {
                    live = Arrays.stream(live).filter(block -> block != this).toArray(Block[]::new);
                }
                MemoryUtil.freeMemory(address);
            }
        }
    }

    /** One column's share of a block, as Arrow sees it: released (once) when its last buffer is closed. */
    private static final class Lent extends ForeignAllocation {
        private final Block block;
        private final AtomicBoolean released = new AtomicBoolean();

        Lent(Block block, long bytes) {
            super(bytes, block.address);
            this.block = block;
        }

        @Override
        protected void release0() {
            if (released.compareAndSet(false, true)) {
                block.release();
            }
        }

        @Override
        public String toString() {
            return "all-valid bitmap (" + getSize() + " bytes of a shared block of " + block.bytes + ")";
        }
    }
}
