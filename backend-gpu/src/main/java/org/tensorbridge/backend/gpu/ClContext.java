package org.tensorbridge.backend.gpu;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.tensorbridge.ClosedResourceException;

/**
 * One OpenCL context and in-order command queue on one device, and the only door to them: buffers,
 * blocking transfers, kernel launches, the compiled-program cache and the bounded cache of generated
 * fused kernels. It counts kernel launches and bytes read back to the host, for tests and benchmarks.
 *
 * <p>Thread-safety: OpenCL queues and kernel arguments are not safe to drive from several threads
 * (JOCL adds no locking), so every use of the queue and of cached kernels happens while holding this
 * context's lock, taken with {@link #locked}. Operations of one backend therefore run one at a time;
 * buffer creation and release take the lock too.
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

    /** Runs {@code work} holding the lock, then waits for the queue to finish. */
    <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            requireOpen();
            T result = work.get();
            ClStatus.check(CL.clFinish(queue), "clFinish");
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** {@link #locked(Supplier)} without a result. */
    void locked(Runnable work) {
        locked(() -> {
            work.run();
            return null;
        });
    }

    void requireLock() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("OpenCL queue used without the context lock; this is a backend bug");
        }
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
            createdBuffers.incrementAndGet();
            return memory;
        } finally {
            lock.unlock();
        }
    }

    /** Releases a buffer from {@link #create}; valid after {@link #close()} too. */
    void release(cl_mem memory) {
        lock.lock();
        try {
            int status = CL.clReleaseMemObject(memory);
            liveBuffers.decrementAndGet();
            ClStatus.check(status, "clReleaseMemObject");
        } finally {
            lock.unlock();
        }
    }

    /** A scratch buffer of at least one byte, released by closing it; call with the lock held. */
    Scratch scratch(long bytes) {
        requireLock();
        return new Scratch(this, create(Math.max(1, bytes)));
    }

    /** A scratch buffer holding {@code values}; call with the lock held. */
    Scratch scratch(long[] values) {
        Scratch s = scratch((long) values.length * Long.BYTES);
        if (values.length > 0) {
            ClStatus.check(CL.clEnqueueWriteBuffer(queue, s.memory(), CL.CL_TRUE, 0, (long) values.length * Long.BYTES,
                    Pointer.to(values), 0, null, null), "clEnqueueWriteBuffer");
        }
        return s;
    }

    /** An 8-byte buffer passed for zero-size operands, which own no {@code cl_mem}. */
    cl_mem placeholder() {
        return placeholder;
    }

    /** {@code cl_mem} objects created and not yet released, scratch buffers included. */
    long liveBuffers() {
        return liveBuffers.get();
    }

    /** {@code cl_mem} objects ever created. */
    long createdBuffers() {
        return createdBuffers.get();
    }

    // ---- transfers (blocking) ----

    /** Host to device: {@code source}'s remaining bytes to {@code target} at {@code offset}. */
    void write(ByteBuffer source, cl_mem target, long offset) {
        requireLock();
        int bytes = source.remaining();
        if (bytes == 0) {
            return;
        }
        ClStatus.check(CL.clEnqueueWriteBuffer(queue, target, CL.CL_TRUE, offset, bytes, HostPointers.of(source), 0,
                null, null), "clEnqueueWriteBuffer of " + bytes + " bytes");
    }

    /** Device to host: {@code target.remaining()} bytes from {@code source} at {@code offset}. */
    void read(cl_mem source, long offset, ByteBuffer target) {
        requireLock();
        int bytes = target.remaining();
        if (bytes == 0) {
            return;
        }
        ClStatus.check(CL.clEnqueueReadBuffer(queue, source, CL.CL_TRUE, offset, bytes, HostPointers.of(target), 0,
                null, null), "clEnqueueReadBuffer of " + bytes + " bytes");
        bytesRead.addAndGet(bytes);
    }

    /** One int read back from the device: a count or a flag. */
    int readInt(cl_mem source, long index) {
        requireLock();
        int[] value = new int[1];
        ClStatus.check(CL.clEnqueueReadBuffer(queue, source, CL.CL_TRUE, index * Integer.BYTES, Integer.BYTES,
                Pointer.to(value), 0, null, null), "clEnqueueReadBuffer of a count");
        bytesRead.addAndGet(Integer.BYTES);
        return value[0];
    }

    /** One long read back from the device: an element of an index buffer named in a message. */
    long readLong(cl_mem source, long index) {
        requireLock();
        long[] value = new long[1];
        ClStatus.check(CL.clEnqueueReadBuffer(queue, source, CL.CL_TRUE, index * Long.BYTES, Long.BYTES,
                Pointer.to(value), 0, null, null), "clEnqueueReadBuffer of one index");
        bytesRead.addAndGet(Long.BYTES);
        return value[0];
    }

    /** Bytes ever read from the device to the host: transfers, counts and flags. */
    long bytesRead() {
        return bytesRead.get();
    }

    /** One int written to the device. */
    void writeInt(cl_mem target, long index, int value) {
        requireLock();
        ClStatus.check(CL.clEnqueueWriteBuffer(queue, target, CL.CL_TRUE, index * Integer.BYTES, Integer.BYTES,
                Pointer.to(new int[] {value}), 0, null, null), "clEnqueueWriteBuffer of a flag");
    }

    /** Device to device. */
    void copy(cl_mem source, long sourceOffset, cl_mem target, long targetOffset, long bytes) {
        requireLock();
        if (bytes == 0) {
            return;
        }
        ClStatus.check(CL.clEnqueueCopyBuffer(queue, source, target, sourceOffset, targetOffset, bytes, 0, null, null),
                "clEnqueueCopyBuffer of " + bytes + " bytes");
    }

    // ---- kernels ----

    /** A launch of the cached kernel {@code name} of {@code program}; call with the lock held. */
    KernelCall kernel(String program, String name) {
        requireLock();
        cl_kernel kernel = programs.kernel(program, name);
        return new KernelCall(this, kernel, program + "/" + name);
    }

    /**
     * A launch of the generated fused kernel cached under {@code key}, compiled on a miss from the
     * program {@link ProgramSources#fused} makes of {@code kernel}; call with the lock held.
     */
    KernelCall fused(String key, org.tensorbridge.DType dtype, Supplier<String> kernel) {
        requireLock();
        cl_kernel k = fused.kernel(key, () -> sources.fused(dtype, kernel.get()));
        return new KernelCall(this, k, "fused " + key);
    }

    /** The compiler of this context's programs. */
    ProgramBuilder builder() {
        return builder;
    }

    /** The cache of generated fused kernels. */
    FusedCache fusedCache() {
        return fused;
    }

    /** Counts one kernel launch; {@link KernelCall} calls it for every enqueued kernel. */
    void countLaunch() {
        launches.incrementAndGet();
    }

    /** Kernels ever launched on this context's queue. */
    long launches() {
        return launches.get();
    }

    cl_command_queue queue() {
        return queue;
    }

    /** Compiled programs and created kernels currently held. */
    ProgramCache programs() {
        return programs;
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
