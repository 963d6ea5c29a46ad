package org.tensorbridge.backend.gpu;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jocl.CL;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;
import org.tensorbridge.ClosedResourceException;

/**
 * One OpenCL context and in-order command queue on one device, and the only door to them: buffers,
 * the compiled-program cache and the bounded cache of generated fused kernels, and {@link #locked},
 * the one way to drive the queue. It counts buffers, kernel launches and bytes read back to the host,
 * for tests and benchmarks.
 *
 * <p>Thread-safety: OpenCL queues and kernel arguments are not safe to drive from several threads (JOCL
 * adds no locking). Every transfer and launch is a method of {@link ClQueue}, a token that only
 * {@link #locked} creates, under this context's lock, and that stops working when its block ends; so
 * code that can enqueue anything holds the lock by construction. Operations of one backend therefore
 * run one at a time. Buffer creation and release take the lock too.
 *
 * <p>Lifetime: {@link #close()} releases the cached kernels and programs (fused ones included), the
 * queue, the placeholder buffer and the context; buffers still held by tensors are released when those
 * close (OpenCL keeps the context alive for them). Live {@code cl_mem} objects are counted by
 * {@link #liveBuffers()}.
 */
final class ClContext implements AutoCloseable {
    private final DeviceInfo device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final ProgramSources sources;
    private final ProgramBuilder builder;
    private final ProgramCache programs;
    private final FusedCache fused;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong liveBuffers = new AtomicLong();
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong createdBuffers = new AtomicLong();
    private final AtomicLong launches = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final cl_mem placeholder;
    private volatile boolean closed;

    ClContext(DeviceInfo device, ProgramSources sources) {
        this.device = device;
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL.CL_CONTEXT_PLATFORM, device.platform());
        int[] status = new int[1];
        cl_context created = CL.clCreateContext(properties, 1, new cl_device_id[] {device.device()}, null, null, status);
        ClStatus.check(status[0], "clCreateContext on " + device.describe());
        this.context = created;
        @SuppressWarnings("deprecation") // clCreateCommandQueueWithProperties needs OpenCL 2.0; this runs on 1.2.
        cl_command_queue q = CL.clCreateCommandQueue(context, device.device(), 0, status);
        if (status[0] != CL.CL_SUCCESS) {
            CL.clReleaseContext(context);
            throw ClStatus.failure(status[0], "clCreateCommandQueue on " + device.describe());
        }
        this.queue = q;
        this.sources = sources;
        this.builder = new ProgramBuilder(context, device);
        this.programs = new ProgramCache(builder, sources);
        this.fused = new FusedCache(builder, FusedCache.DEFAULT_CAPACITY);
        cl_mem p = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, 8, null, status);
        if (status[0] != CL.CL_SUCCESS) {
            CL.clReleaseCommandQueue(queue);
            CL.clReleaseContext(context);
            throw ClStatus.failure(status[0], "clCreateBuffer (placeholder)");
        }
        this.placeholder = p;
    }

    DeviceInfo device() {
        return device;
    }

    /**
     * Runs {@code work} holding the lock, with a queue token valid for the block, then waits for the
     * queue to finish; returns what {@code work} returns.
     *
     * @throws ClosedResourceException if the context was closed
     */
    <T> T locked(Function<ClQueue, T> work) {
        lock.lock();
        ClQueue token = null;
        try {
            requireOpen();
            token = new ClQueue(this, queue);
            T result = work.apply(token);
            ClStatus.check(CL.clFinish(queue), "clFinish");
            return result;
        } finally {
            if (token != null) {
                token.expire();
            }
            lock.unlock();
        }
    }

    /** {@link #locked(Function)} for work without a result. */
    void run(Consumer<ClQueue> work) {
        locked(q -> {
            work.accept(q);
            return null;
        });
    }

    private void requireOpen() {
        if (closed) {
            throw new ClosedResourceException("the gpu backend on " + device.describe() + " was closed; create a new "
                    + "one with new GpuBackendProvider().create(), or use Backends.get(\"gpu\"), which is never closed");
        }
    }

    // ---- buffers ----

    /** A new device buffer of {@code bytes} (more than 0), counted as live until {@link #release}. */
    cl_mem create(long bytes) {
        lock.lock();
        try {
            requireOpen();
            int[] status = new int[1];
            cl_mem memory = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes, null, status);
            ClStatus.check(status[0], "clCreateBuffer of " + bytes + " bytes on " + device.describe());
            liveBuffers.incrementAndGet();
            liveBytes.addAndGet(bytes);
            createdBuffers.incrementAndGet();
            return memory;
        } finally {
            lock.unlock();
        }
    }

    /** Releases a buffer of {@code bytes} from {@link #create}; valid after {@link #close()} too. */
    void release(cl_mem memory, long bytes) {
        lock.lock();
        try {
            int status = CL.clReleaseMemObject(memory);
            liveBuffers.decrementAndGet();
            liveBytes.addAndGet(-bytes);
            ClStatus.check(status, "clReleaseMemObject");
        } finally {
            lock.unlock();
        }
    }

    /**
     * A new buffer of {@code bytes} in host memory the device reaches directly ({@code CL_MEM_ALLOC_HOST_PTR}:
     * pinned, page-locked memory on NVIDIA's and AMD's drivers), for staging transfers. Host memory, so not
     * counted by {@link #liveBuffers()}: its owner ({@link PinnedPool}) counts it.
     */
    cl_mem createHostMapped(long bytes) {
        lock.lock();
        try {
            requireOpen();
            int[] status = new int[1];
            cl_mem memory = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE | CL.CL_MEM_ALLOC_HOST_PTR, bytes, null,
                    status);
            ClStatus.check(status[0], "clCreateBuffer(CL_MEM_ALLOC_HOST_PTR) of " + bytes + " bytes on "
                    + device.describe());
            return memory;
        } finally {
            lock.unlock();
        }
    }

    /** Releases a buffer from {@link #createHostMapped}; valid after {@link #close()} too. */
    void releaseHostMapped(cl_mem memory) {
        lock.lock();
        try {
            ClStatus.check(CL.clReleaseMemObject(memory), "clReleaseMemObject of a host-mapped buffer");
        } finally {
            lock.unlock();
        }
    }

    /** An 8-byte buffer passed for zero-size operands, which own no {@code cl_mem}. */
    cl_mem placeholder() {
        return placeholder;
    }

    /** {@code cl_mem} objects created and not yet released, scratch buffers included. */
    long liveBuffers() {
        return liveBuffers.get();
    }

    /** Bytes of the {@code cl_mem} objects created and not yet released: what the device holds for this backend. */
    long liveBytes() {
        return liveBytes.get();
    }

    /** {@code cl_mem} objects ever created. */
    long createdBuffers() {
        return createdBuffers.get();
    }

    // ---- programs and counters (the queue token's back end) ----

    /** The fixed programs and their kernels; use only inside {@link #locked}. */
    ProgramCache programs() {
        return programs;
    }

    /** The sources of every program. */
    ProgramSources sources() {
        return sources;
    }

    /** The compiler of this context's programs. */
    ProgramBuilder builder() {
        return builder;
    }

    /** The cache of generated fused kernels; use only inside {@link #locked}. */
    FusedCache fusedCache() {
        return fused;
    }

    /** Programs compiled so far, fused ones included. */
    int compiledPrograms() {
        return locked(q -> builder.builds());
    }

    void countLaunch() {
        launches.incrementAndGet();
    }

    /** Kernels ever launched on this context's queue. */
    long launches() {
        return launches.get();
    }

    void countRead(long bytes) {
        bytesRead.addAndGet(bytes);
    }

    /** Bytes ever read from the device to the host: transfers, counts and flags. */
    long bytesRead() {
        return bytesRead.get();
    }

    boolean isClosed() {
        return closed;
    }

    /** Releases kernels, programs, the queue and the context. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            CL.clFinish(queue);
            programs.close();
            fused.close();
            CL.clReleaseMemObject(placeholder);
            CL.clReleaseCommandQueue(queue);
            CL.clReleaseContext(context);
        } finally {
            lock.unlock();
        }
    }
}
