package org.tensorbridge.backend.gpu;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jocl.cl_mem;
import org.tensorbridge.ClosedResourceException;

/**
 * One block of pinned host memory: an OpenCL buffer made with {@code CL_MEM_ALLOC_HOST_PTR} and mapped
 * once for its whole life, so the host sees it as a direct {@code ByteBuffer} and a blocking
 * {@code clEnqueueReadBuffer} into that buffer runs at bus speed (NVIDIA's documented pattern for pinned
 * transfers in OpenCL).
 *
 * <p>Lifetime: {@link #free()} unmaps the buffer (while its context is open) and releases it, once.
 * {@link #abandon()} is for a block a {@code ByteBuffer} over which escaped to a caller: the block is
 * released only when the JVM has collected the mapped buffer and every buffer derived from it (each
 * duplicate or slice of a direct buffer keeps its root reachable), so a stale buffer never reaches
 * released memory. Such a block is released without an unmap, since the unmap needs the mapped buffer
 * itself; OpenCL does not require one before {@code clReleaseMemObject}, which frees the memory.
 *
 * <p>Thread-safe: {@link #free()} and the cleaner race to release the block once.
 */
final class PinnedBlock {
    private static final Cleaner CLEANER = Cleaner.create();

    private final ClContext cl;
    private final cl_mem memory;
    private final long capacity;
    private final AtomicBoolean released = new AtomicBoolean();
    private final Runnable onRelease;
    /** The mapping; dropped when the block is abandoned, so that only escaped buffers keep it reachable. */
    private volatile ByteBuffer mapped;

    private PinnedBlock(ClContext cl, cl_mem memory, long capacity, ByteBuffer mapped, Runnable onRelease) {
        this.cl = cl;
        this.memory = memory;
        this.capacity = capacity;
        this.mapped = mapped;
        this.onRelease = onRelease;
    }

    /**
     * A new block of {@code capacity} bytes (at most {@link Integer#MAX_VALUE}), mapped for reading and
     * writing; {@code onRelease} runs once when it is released, on whichever thread releases it.
     */
    static PinnedBlock create(ClContext cl, long capacity, Runnable onRelease) {
        cl_mem memory = cl.createHostMapped(capacity);
        try {
            ByteBuffer mapped = cl.locked(q -> q.map(memory, capacity));
            return new PinnedBlock(cl, memory, capacity, mapped, onRelease);
        } catch (RuntimeException | Error e) {
            cl.releaseHostMapped(memory);
            throw e;
        }
    }

    long capacity() {
        return capacity;
    }

    /** A new buffer over the first {@code bytes} bytes of the mapping, position 0. */
    ByteBuffer buffer(int bytes) {
        ByteBuffer root = mapped;
        if (root == null) {
            throw new IllegalStateException("a pinned block was used after it was abandoned; this is a backend bug");
        }
        return root.duplicate().clear().limit(bytes);
    }

    /** Unmaps and releases the block, unless it is already released. Never throws. */
    void free() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        ByteBuffer root = mapped;
        mapped = null;
        try {
            if (root != null && !cl.isClosed()) {
                cl.run(q -> q.unmap(memory, root));
            }
        } catch (ClosedResourceException closedMeanwhile) {
            // the context closed between the check and the unmap: release without it, as after close
        } catch (RuntimeException e) {
            warn("unmapping", e);
        }
        release(cl, memory, onRelease);
    }

    /**
     * Gives the block up to the JVM's collector: released once no buffer over the mapping is reachable.
     * The caller must hold no buffer of its own over the block afterwards.
     */
    void abandon() {
        ByteBuffer root = mapped;
        if (root == null || released.get()) {
            return;
        }
        mapped = null;
        // The action holds no reference to the root buffer, or the buffer would never become unreachable.
        ClContext context = cl;
        cl_mem handle = memory;
        AtomicBoolean once = released;
        Runnable done = onRelease;
        CLEANER.register(root, () -> {
            if (once.compareAndSet(false, true)) {
                release(context, handle, done);
            }
        });
    }

    private static void release(ClContext cl, cl_mem memory, Runnable onRelease) {
        try {
            cl.releaseHostMapped(memory);
        } catch (RuntimeException e) {
            warn("releasing", e);
        } finally {
            onRelease.run();
        }
    }

    private static void warn(String what, RuntimeException e) {
        // Runs inside a host array's close() or on the cleaner thread: reported, never thrown.
        System.getLogger(PinnedBlock.class.getName()).log(System.Logger.Level.WARNING,
                "tensorbridge: " + what + " a pinned host block failed", e);
    }
}
