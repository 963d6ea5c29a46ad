package org.tensorbridge.backend.gpu;

/**
 * The runs of equal keys in a sorted key buffer, found on the device: {@code heads[s]} is where run
 * {@code s} starts ({@code heads[count]} is the end), {@code keys[s]} its key. Reading {@link #count()}
 * back (one int) is what sizes a sparse result.
 *
 * <p>Owns two scratch buffers; close it once. Not thread-safe.
 */
final class Segments implements AutoCloseable {
    private final Scratch heads;
    private final Scratch keys;
    private final long count;

    private Segments(Scratch heads, Scratch keys, long count) {
        this.heads = heads;
        this.keys = keys;
        this.count = count;
    }

    /** The runs of {@code sorted[0, n)}, {@code n > 0}, on the queue of a locked block. */
    static Segments of(ClQueue cl, Scratch sorted, long n) {
        try (Scratch flags = cl.scratch(n * Integer.BYTES)) {
            cl.kernel(ProgramSources.COMMON, "segment_flags").mem(sorted).i64(n).mem(flags).run(n);
            try (Scratch scan = new DeviceScan(cl).inclusive(flags, n)) {
                long count = cl.readInt(scan.memory(), n - 1);
                Scratch heads = cl.scratch((count + 1) * Long.BYTES);
                Scratch keys;
                try {
                    keys = cl.scratch(count * Long.BYTES);
                } catch (RuntimeException | Error e) {
                    heads.close();
                    throw e;
                }
                Segments segments = new Segments(heads, keys, count);
                try {
                    cl.kernel(ProgramSources.COMMON, "segment_heads").mem(flags).mem(scan).mem(sorted).i64(n)
                            .mem(heads).mem(keys).run(n);
                } catch (RuntimeException | Error e) {
                    segments.close();
                    throw e;
                }
                return segments;
            }
        }
    }

    Scratch heads() {
        return heads;
    }

    /** The key of each run. */
    Scratch keys() {
        return keys;
    }

    /** Number of runs: distinct keys. */
    long count() {
        return count;
    }

    @Override
    public void close() {
        try {
            heads.close();
        } finally {
            keys.close();
        }
    }
}
