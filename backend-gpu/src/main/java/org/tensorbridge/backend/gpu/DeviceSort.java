package org.tensorbridge.backend.gpu;

/**
 * A stable sort of {@code long} keys on the device: a bitonic network over (key, original position)
 * pairs, padded to a power of two with the largest key. Comparing positions on equal keys makes it
 * stable, so equal keys keep their input order, as the host kernels' merge sort does.
 *
 * <p>Drives the {@link ClQueue} of one locked block. Stateless apart from the queue.
 */
final class DeviceSort {
    private final ClQueue cl;

    DeviceSort(ClQueue cl) {
        this.cl = cl;
    }

    /** The power of two at least {@code n} (and at least 1): the length a keys buffer must hold. */
    static long paddedLength(long n) {
        long p = 1;
        while (p < n) {
            p <<= 1;
        }
        return p;
    }

    /**
     * Sorts {@code keys[0, n)} in place (the buffer holds {@link #paddedLength} longs) and returns the
     * positions: {@code pos[i]} is the input index of the {@code i}-th key in sorted order.
     */
    Scratch sort(Scratch keys, long n) {
        long p = paddedLength(n);
        Scratch pos = cl.scratch(p * Long.BYTES);
        try {
            cl.kernel(ProgramSources.COMMON, "sort_init").mem(keys).mem(pos).i64(n).i64(p).run(p);
            for (long k = 2; k <= p; k <<= 1) {
                for (long j = k >> 1; j > 0; j >>= 1) {
                    cl.kernel(ProgramSources.COMMON, "bitonic_step").mem(keys).mem(pos).i64(j).i64(k).i64(p).run(p);
                }
            }
            return pos;
        } catch (RuntimeException | Error e) {
            pos.close();
            throw e;
        }
    }
}
