package org.tensorbridge.backend.gpu;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jocl.CL;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * Generated fused kernels, compiled once per key (expression signature, input count and dtype) and
 * kept in a least-recently-used cache of at most {@link #capacity()} programs. Adding one more evicts
 * the least recently used program and releases its kernel and program at once; an evicted expression
 * compiles again when it comes back. Releasing is safe while a launch of the evicted kernel is still
 * queued: OpenCL keeps the objects alive until the launch completes.
 *
 * <p>Not thread-safe by itself: used only under the {@link ClContext} lock. Lifetime: {@link #close()}
 * releases every cached kernel and program.
 */
final class FusedCache implements AutoCloseable {
    /** The default bound: programs beyond it evict the least recently used. */
    static final int DEFAULT_CAPACITY = 256;

    /** The kernel {@link FusedSource} generates in each fused program. */
    static final String KERNEL = "fused";

    private record Entry(cl_program program, cl_kernel kernel) {
        void release() {
            CL.clReleaseKernel(kernel);
            CL.clReleaseProgram(program);
        }
    }

    private final ProgramBuilder builder;
    private final int capacity;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long compiled;
    private long evicted;

    FusedCache(ProgramBuilder builder, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity is " + capacity + "; a fused-kernel cache holds at least 1");
        }
        this.builder = builder;
        this.capacity = capacity;
    }

    /**
     * The cached kernel for {@code key}, built from {@code source} on a miss (after which the least
     * recently used entry is evicted if the cache is over capacity).
     */
    cl_kernel kernel(String key, Supplier<String> source) {
        Entry entry = entries.get(key);
        if (entry != null) {
            return entry.kernel();
        }
        cl_program program = builder.build("fused " + key, source.get());
        compiled++;
        int[] status = new int[1];
        cl_kernel kernel = CL.clCreateKernel(program, KERNEL, status);
        if (status[0] != CL.CL_SUCCESS) {
            CL.clReleaseProgram(program);
            throw ClStatus.failure(status[0], "clCreateKernel " + KERNEL + " of fused " + key);
        }
        entries.put(key, new Entry(program, kernel));
        evictBeyondCapacity();
        return kernel;
    }

    private void evictBeyondCapacity() {
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while (entries.size() > capacity && eldest.hasNext()) {
            Entry entry = eldest.next().getValue();
            eldest.remove();
            entry.release();
            evicted++;
        }
    }

    /** True if {@code key} is cached now (does not count as a use). */
    boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The most programs this cache holds. */
    int capacity() {
        return capacity;
    }

    /** Programs held now. */
    int size() {
        return entries.size();
    }

    /** Fused programs compiled so far. */
    long compiled() {
        return compiled;
    }

    /** Programs evicted (and released) so far. */
    long evicted() {
        return evicted;
    }

    @Override
    public void close() {
        entries.values().forEach(Entry::release);
        entries.clear();
    }
}
