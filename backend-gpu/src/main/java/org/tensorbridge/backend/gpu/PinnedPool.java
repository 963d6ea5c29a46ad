package org.tensorbridge.backend.gpu;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.LentBlock;
import org.tensorbridge.memory.MemoryLedger;

/**
 * Pinned host blocks ({@link PinnedBlock}) that device-to-host copies stage through, lent one per host
 * array and taken back when the array is closed, so that a copy costs the transfer at bus speed and not
 * also a pinned allocation (page-locking is far slower than the copy it speeds up).
 *
 * <p><b>When it is used.</b> A device's reads into pageable memory go through the driver's own bounce
 * buffer (about 10 to 13 GB/s on an H100 against the bus's 25 or more), so the pool is on by default
 * where the device is a GPU without memory shared with the host ({@code CL_DEVICE_HOST_UNIFIED_MEMORY}
 * false: a discrete GPU). On a CPU device (PoCL) or an integrated GPU a read is a {@code memcpy} either
 * way, and the library's ordinary host pool serves. System property {@value #MODE_PROPERTY}:
 * {@code auto} (the default, as above), {@code always} or {@code never}.
 *
 * <p><b>Bound.</b> Blocks are rounded up to size classes (powers of two, eighth steps between them above
 * 64 KiB). At most {@link #limitBytes()} bytes of idle blocks wait here (system property
 * {@value #LIMIT_PROPERTY}, default 512 MiB); a block coming back that would pass the bound is freed at
 * once, and a copy larger than the bound is not staged at all (it uses the host pool, as without
 * pinning).
 *
 * <p><b>Safety.</b> A block comes back for reuse only if no buffer over it left the library
 * ({@link LentBlock#reuse()}); one whose buffer escaped ({@code HostArray.asByteBuffer()}) is never
 * reused, and is released once the JVM has collected every buffer over it. {@link #close()} (at the
 * backend's close) frees the idle blocks; blocks lent then are freed when their arrays close.
 *
 * <p>Thread-safe. The pool's lists are guarded by its monitor; OpenCL calls run outside it, under the
 * context's lock, so the two are never nested.
 */
final class PinnedPool implements AutoCloseable {
    /** System property: {@code auto}, {@code always} or {@code never}. */
    static final String MODE_PROPERTY = "tensorbridge.gpu.pinned";
    /** System property: bytes of idle pinned blocks kept for reuse. */
    static final String LIMIT_PROPERTY = "tensorbridge.gpu.pinned.bytes";
    static final long DEFAULT_LIMIT = 512L << 20;
    private static final long SMALLEST_CLASS = 4096;

    private final ClContext cl;
    private final long limitBytes;
    private volatile boolean enabled;
    private final Map<Long, ArrayDeque<PinnedBlock>> idle = new HashMap<>();
    private long idleBytes;
    private boolean closed;
    private final AtomicLong liveBlocks = new AtomicLong();
    private final AtomicLong lentBlocks = new AtomicLong();
    private final AtomicLong createdBlocks = new AtomicLong();
    private final AtomicLong reusedBlocks = new AtomicLong();

    PinnedPool(ClContext cl, long limitBytes, boolean enabled) {
        this.cl = cl;
        this.limitBytes = Math.max(0, limitBytes);
        this.enabled = enabled;
    }

    /** The pool of a backend on {@code cl}'s device, configured by the system properties above. */
    static PinnedPool forDevice(ClContext cl) {
        String mode = System.getProperty(MODE_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        boolean enabled = switch (mode) {
            case "auto" -> cl.device().isGpu() && !hostUnifiedMemory(cl.device());
            case "always" -> true;
            case "never" -> false;
            default -> throw new IllegalArgumentException(MODE_PROPERTY + " is '" + mode + "'; use auto, always or "
                    + "never");
        };
        return new PinnedPool(cl, configuredLimit(), enabled);
    }

    private static long configuredLimit() {
        String configured = System.getProperty(LIMIT_PROPERTY);
        if (configured == null) {
            return DEFAULT_LIMIT;
        }
        try {
            return Math.max(0, Long.parseLong(configured.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(LIMIT_PROPERTY + " is '" + configured + "'; give a number of bytes, "
                    + "or 0 to stage no copy through pinned memory", e);
        }
    }

    /** {@code CL_DEVICE_HOST_UNIFIED_MEMORY}; false where the query fails (it is deprecated since OpenCL 2.0). */
    static boolean hostUnifiedMemory(DeviceInfo device) {
        if (device.device() == null) {
            return false;
        }
        int[] value = new int[1];
        int status = CL.clGetDeviceInfo(device.device(), CL.CL_DEVICE_HOST_UNIFIED_MEMORY, Sizeof.cl_int,
                Pointer.to(value), null);
        return status == CL.CL_SUCCESS && value[0] != 0;
    }

    /** True if a copy of {@code bytes} bytes is staged through this pool. */
    boolean serves(long bytes) {
        return enabled && bytes > 0 && classSize(bytes) <= Math.min(limitBytes, Integer.MAX_VALUE);
    }

    /**
     * Host memory for a copy of {@code bytes} bytes in a pinned block, idle or new, counted by
     * {@code ledger}; the block comes back when the storage is freed.
     */
    HostStorage lend(long bytes, MemoryLedger ledger) {
        long size = classSize(bytes);
        PinnedBlock block = takeIdle(size);
        if (block == null) {
            block = PinnedBlock.create(cl, size, () -> liveBlocks.decrementAndGet());
            liveBlocks.incrementAndGet();
            createdBlocks.incrementAndGet();
        } else {
            reusedBlocks.incrementAndGet();
        }
        lentBlocks.incrementAndGet();
        Lease lease = new Lease(block);
        try {
            return HostStorage.lentForCopy(block.buffer((int) bytes), ledger, lease);
        } catch (RuntimeException | Error e) {
            lease.reuse();
            throw e;
        }
    }

    private synchronized PinnedBlock takeIdle(long size) {
        ArrayDeque<PinnedBlock> blocks = idle.get(size);
        PinnedBlock block = blocks == null ? null : blocks.pollFirst();
        if (block != null) {
            idleBytes -= size;
        }
        return block;
    }

    /** Keeps a returned block if the pool is open and has room, else frees it. */
    private void give(PinnedBlock block) {
        synchronized (this) {
            long size = block.capacity();
            if (!closed && idleBytes + size <= limitBytes) {
                idle.computeIfAbsent(size, s -> new ArrayDeque<>()).offerFirst(block);
                idleBytes += size;
                return;
            }
        }
        block.free();
    }

    /** Frees every idle block; blocks lent now are freed when they come back. Idempotent. */
    @Override
    public void close() {
        ArrayDeque<PinnedBlock> toFree = new ArrayDeque<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(toFree::addAll);
            idle.clear();
            idleBytes = 0;
        }
        toFree.forEach(PinnedBlock::free);
    }

    /** Turns staging on or off for later copies; for tests, which exercise both paths on any device. */
    void setEnabled(boolean on) {
        enabled = on;
    }

    boolean isEnabled() {
        return enabled;
    }

    long limitBytes() {
        return limitBytes;
    }

    synchronized long idleBytes() {
        return idleBytes;
    }

    synchronized int idleBlocks() {
        return idle.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    /** Blocks not yet released: idle, lent, and abandoned ones the collector has not reached yet. */
    long liveBlocks() {
        return liveBlocks.get();
    }

    /** Blocks in the hands of host arrays now. */
    long lentBlocks() {
        return lentBlocks.get();
    }

    long createdBlocks() {
        return createdBlocks.get();
    }

    /** Lends served by an idle block. */
    long reusedBlocks() {
        return reusedBlocks.get();
    }

    /**
     * The size class of {@code bytes}: 4 KiB at least; up to 64 KiB the next power of two; above, the
     * next eighth step of the next power of two (at most a quarter of the request wasted).
     */
    static long classSize(long bytes) {
        if (bytes <= SMALLEST_CLASS) {
            return SMALLEST_CLASS;
        }
        long power = Long.highestOneBit(bytes - 1) << 1;
        if (power <= 65_536) {
            return power;
        }
        long step = power / 8;
        return (bytes + step - 1) / step * step;
    }

    /** One lend of a block: the storage over it says once how it comes back. */
    private final class Lease implements LentBlock {
        private final PinnedBlock block;
        private final AtomicBoolean back = new AtomicBoolean();

        Lease(PinnedBlock block) {
            this.block = block;
        }

        @Override
        public void reuse() {
            if (back.compareAndSet(false, true)) {
                lentBlocks.decrementAndGet();
                give(block);
            }
        }

        @Override
        public void abandon() {
            if (back.compareAndSet(false, true)) {
                lentBlocks.decrementAndGet();
                block.abandon();
            }
        }
    }
}
