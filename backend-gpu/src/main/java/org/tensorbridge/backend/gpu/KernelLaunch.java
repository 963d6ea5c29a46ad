package org.tensorbridge.backend.gpu;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * One launch of a cached kernel: arguments in order, then {@link #run} or {@link #run2d}. Kernel
 * objects are shared and setting their arguments is not thread-safe, so a launch comes only from a
 * {@link ClQueue}, which exists only while the context's lock is held. Not thread-safe; use once.
 */
final class KernelLaunch {
    /** 1-D global sizes are rounded up to this; kernels check their bounds. */
    private static final long GRANULE = 64;

    private final ClQueue queue;
    private final cl_kernel kernel;
    private final String name;
    private int index;

    KernelLaunch(ClQueue queue, cl_kernel kernel, String name) {
        this.queue = queue;
        this.kernel = kernel;
        this.name = name;
    }

    KernelLaunch mem(cl_mem memory) {
        return set(Sizeof.cl_mem, Pointer.to(memory));
    }

    KernelLaunch mem(DeviceStorage storage) {
        return mem(storage.memory());
    }

    KernelLaunch mem(Scratch scratch) {
        return mem(scratch.memory());
    }

    KernelLaunch i64(long value) {
        return set(Sizeof.cl_long, Pointer.to(new long[] {value}));
    }

    KernelLaunch i32(int value) {
        return set(Sizeof.cl_int, Pointer.to(new int[] {value}));
    }

    /** A by-value argument given as its native-order bytes (a fill value, a fused scalar). */
    KernelLaunch bytes(byte[] value) {
        return set(value.length, Pointer.to(value));
    }

    private KernelLaunch set(long size, Pointer value) {
        ClStatus.check(CL.clSetKernelArg(kernel, index, size, value), "clSetKernelArg " + index + " of " + name);
        index++;
        return this;
    }

    /** Runs {@code n} work-items (rounded up); nothing for {@code n == 0}. */
    void run(long n) {
        if (n <= 0) {
            return;
        }
        long global = (n + GRANULE - 1) / GRANULE * GRANULE;
        enqueue(1, new long[] {global}, null);
    }

    /** Runs an {@code x} by {@code y} range with work-groups of the runtime's choice. */
    void run2d(long x, long y) {
        if (x <= 0 || y <= 0) {
            return;
        }
        enqueue(2, new long[] {x, y}, null);
    }

    /** Runs a 2-D range with the given work-group size; the global size is rounded up to it. */
    void run2d(long x, long y, long localX, long localY) {
        if (x <= 0 || y <= 0) {
            return;
        }
        long gx = (x + localX - 1) / localX * localX;
        long gy = (y + localY - 1) / localY * localY;
        enqueue(2, new long[] {gx, gy}, new long[] {localX, localY});
    }

    private void enqueue(int dimensions, long[] global, long[] local) {
        ClStatus.check(CL.clEnqueueNDRangeKernel(queue.queue(), kernel, dimensions, null, global, local, 0, null,
                null), "clEnqueueNDRangeKernel " + name);
        queue.context().countLaunch();
    }
}
