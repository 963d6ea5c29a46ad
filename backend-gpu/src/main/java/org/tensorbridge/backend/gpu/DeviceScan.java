package org.tensorbridge.backend.gpu;

/**
 * Inclusive prefix sums of {@code int} flags on the device, in three steps: each of up to
 * {@value #MAX_CHUNKS} work-items sums one contiguous chunk; the chunk sums are scanned with
 * Hillis-Steele passes (log2 of the chunk count launches); each work-item rescans its chunk from its
 * offset. Linear work, a bounded number of launches.
 *
 * <p>Drives the {@link ClQueue} of one locked block. Stateless apart from the queue.
 */
final class DeviceScan {
    static final long MAX_CHUNKS = 65536;

    private final ClQueue cl;

    DeviceScan(ClQueue cl) {
        this.cl = cl;
    }

    /** {@code out[i] = in[0] + ... + in[i]} for {@code n > 0} ints; the caller closes the result. */
    Scratch inclusive(Scratch in, long n) {
        long chunk = Math.max(1, (n + MAX_CHUNKS - 1) / MAX_CHUNKS);
        long chunks = (n + chunk - 1) / chunk;
        Scratch out = cl.scratch(n * Integer.BYTES);
        try (Scratch sums = cl.scratch(chunks * Integer.BYTES);
                Scratch other = cl.scratch(chunks * Integer.BYTES)) {
            cl.kernel(ProgramSources.COMMON, "scan_chunk_sums").mem(in).i64(n).i64(chunk).i64(chunks).mem(sums)
                    .run(chunks);
            Scratch current = sums;
            Scratch next = other;
            for (long d = 1; d < chunks; d <<= 1) {
                cl.kernel(ProgramSources.COMMON, "scan_step").mem(current).mem(next).i64(chunks).i64(d).run(chunks);
                Scratch swap = current;
                current = next;
                next = swap;
            }
            cl.kernel(ProgramSources.COMMON, "scan_chunk_apply").mem(in).mem(out).i64(n).i64(chunk).i64(chunks)
                    .mem(current).run(chunks);
            return out;
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }
}
