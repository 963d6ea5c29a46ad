package org.tensorbridge.backend.gpu;

import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.tensorbridge.DType;

/**
 * The command queue while its context's lock is held: every transfer, scratch buffer and kernel launch
 * of the backend goes through one of these. Only {@link ClContext#locked} creates one, and it expires
 * when that block ends, so holding a {@code ClQueue} is holding the lock: kernel code takes it as a
 * parameter and needs no check of its own. Transfers are blocking; launches are enqueued, and the
 * block waits for them at its end.
 *
 * <p>Not thread-safe, and never stored beyond the block that received it.
 */
final class ClQueue {
    private final ClContext context;
    private final cl_command_queue queue;
    private boolean expired;

    ClQueue(ClContext context, cl_command_queue queue) {
        this.context = context;
        this.queue = queue;
    }

    /** Ends the token's life: any later use throws. */
    void expire() {
        expired = true;
    }

    /** The queue, for this token's own calls and its launches. */
    cl_command_queue queue() {
        if (expired) {
            throw new IllegalStateException("an OpenCL queue token was used after its locked block ended; this is a "
                    + "backend bug");
        }
        return queue;
    }

    ClContext context() {
        return context;
    }

    // ---- scratch buffers ----

    /** A scratch buffer of at least one byte, released by closing it. */
    Scratch scratch(long bytes) {
        queue();
        long size = Math.max(1, bytes);
        return new Scratch(context, context.create(size), size);
    }

    /** A scratch buffer holding {@code values}. */
    Scratch scratch(long[] values) {
        Scratch s = scratch((long) values.length * Long.BYTES);
        if (values.length > 0) {
            try {
                ClStatus.check(CL.clEnqueueWriteBuffer(queue(), s.memory(), CL.CL_TRUE, 0,
                        (long) values.length * Long.BYTES, Pointer.to(values), 0, null, null), "clEnqueueWriteBuffer");
            } catch (RuntimeException | Error e) {
                s.close();
                throw e;
            }
        }
        return s;
    }

    // ---- transfers (blocking) ----

    /** Host to device: {@code source}'s remaining bytes to {@code target} at {@code offset}. */
    void write(ByteBuffer source, cl_mem target, long offset) {
        int bytes = source.remaining();
        if (bytes == 0) {
            return;
        }
        ClStatus.check(CL.clEnqueueWriteBuffer(queue(), target, CL.CL_TRUE, offset, bytes, HostPointers.of(source), 0,
                null, null), "clEnqueueWriteBuffer of " + bytes + " bytes");
    }

    /** Device to host: {@code target.remaining()} bytes from {@code source} at {@code offset}. */
    void read(cl_mem source, long offset, ByteBuffer target) {
        int bytes = target.remaining();
        if (bytes == 0) {
            return;
        }
        ClStatus.check(CL.clEnqueueReadBuffer(queue(), source, CL.CL_TRUE, offset, bytes, HostPointers.of(target), 0,
                null, null), "clEnqueueReadBuffer of " + bytes + " bytes");
        context.countRead(bytes);
    }

    /** One int read back from the device: a count or a flag. */
    int readInt(cl_mem source, long index) {
        int[] value = new int[1];
        ClStatus.check(CL.clEnqueueReadBuffer(queue(), source, CL.CL_TRUE, index * Integer.BYTES, Integer.BYTES,
                Pointer.to(value), 0, null, null), "clEnqueueReadBuffer of a count");
        context.countRead(Integer.BYTES);
        return value[0];
    }

    /** One long read back from the device: an element of an index buffer named in a message. */
    long readLong(cl_mem source, long index) {
        long[] value = new long[1];
        ClStatus.check(CL.clEnqueueReadBuffer(queue(), source, CL.CL_TRUE, index * Long.BYTES, Long.BYTES,
                Pointer.to(value), 0, null, null), "clEnqueueReadBuffer of one index");
        context.countRead(Long.BYTES);
        return value[0];
    }

    /** One int written to the device. */
    void writeInt(cl_mem target, long index, int value) {
        ClStatus.check(CL.clEnqueueWriteBuffer(queue(), target, CL.CL_TRUE, index * Integer.BYTES, Integer.BYTES,
                Pointer.to(new int[] {value}), 0, null, null), "clEnqueueWriteBuffer of a flag");
    }

    /**
     * Maps all {@code bytes} of a host-mapped buffer ({@link ClContext#createHostMapped}) for reading and
     * writing, blocking; the buffer stays mapped until {@link #unmap}.
     */
    ByteBuffer map(cl_mem memory, long bytes) {
        int[] status = new int[1];
        ByteBuffer mapped = CL.clEnqueueMapBuffer(queue(), memory, CL.CL_TRUE, CL.CL_MAP_READ | CL.CL_MAP_WRITE, 0,
                bytes, 0, null, null, status);
        ClStatus.check(status[0], "clEnqueueMapBuffer of " + bytes + " bytes");
        return mapped;
    }

    /** Ends the mapping {@link #map} made; {@code mapped} is the buffer it returned. */
    void unmap(cl_mem memory, ByteBuffer mapped) {
        ClStatus.check(CL.clEnqueueUnmapMemObject(queue(), memory, mapped, 0, null, null), "clEnqueueUnmapMemObject");
    }

    /** Device to device. */
    void copy(cl_mem source, long sourceOffset, cl_mem target, long targetOffset, long bytes) {
        if (bytes == 0) {
            return;
        }
        ClStatus.check(CL.clEnqueueCopyBuffer(queue(), source, target, sourceOffset, targetOffset, bytes, 0, null,
                null), "clEnqueueCopyBuffer of " + bytes + " bytes");
    }

    // ---- kernels ----

    /** A launch of the cached kernel {@code name} of {@code program} (a dtype's name or {@link ProgramSources#COMMON}). */
    KernelLaunch kernel(String program, String name) {
        queue();
        cl_kernel kernel = context.programs().kernel(program, name);
        return new KernelLaunch(this, kernel, program + "/" + name);
    }

    /** A launch of {@code name} in the program of {@code dtype}. */
    KernelLaunch kernel(DType dtype, String name) {
        return kernel(dtype.name(), name);
    }

    /**
     * A launch of the generated fused kernel cached under {@code key}, compiled on a miss from the
     * program {@link ProgramSources#fused} makes of {@code kernel}.
     */
    KernelLaunch fused(String key, DType dtype, Supplier<String> kernel) {
        queue();
        cl_kernel k = context.fusedCache().kernel(key, () -> context.sources().fused(dtype, kernel.get()));
        return new KernelLaunch(this, k, "fused " + key);
    }

    /** The work-group edge of the tiled matmul. */
    int tile() {
        return context.sources().tile();
    }
}
