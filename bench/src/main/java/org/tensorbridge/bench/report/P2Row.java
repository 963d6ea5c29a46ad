package org.tensorbridge.bench.report;

import java.util.ArrayList;
import java.util.List;

/** P2, copy conversion, from {@code P2CopyConversion}. */
public final class P2Row implements Row {
    private static final String B = "P2CopyConversion.";

    static final String FIXED_COST = "the copy itself is the JDK's bulk copy (FloatBuffer.get from the storage's own "
            + "view, no buffer made per copy); what is added is the fixed cost of toHost, the guarded copy and close, "
            + "which shows only where the copy is short: one 80-byte host array (gc.alloc.rate.norm) and five "
            + "atomic updates per call (the tensor's pin, which the share takes over, the access guard's enter and "
            + "exit around the copy, close, the memory's release), which keep a copy racing close() safe. The "
            + "split is in this run: the guarded copy alone is the context line (out of a host array kept open), "
            + "toHost + close alone is P1's 4 KiB line";
    static final String NEW_MEMORY = "ALWAYS returns memory of its own: a block from the spi's host pool, reused "
            + "without zeroing once the previous copy is closed, plus a host array object and the tensor's pin; a "
            + "block whose buffer was handed out (asByteBuffer) is never reused and its successor pays "
            + "ByteBuffer.allocateDirect, which zeroes it and is freed only by the garbage collector, as the JDK's "
            + "allocateDirect + put does. A put into memory allocated once pays neither";

    static final String SAME_COPY = "tensorbridge's copy is one JDK bulk copy (FloatBuffer.get into the array) after a "
            + "zero-copy view, a fixed cost negligible at this size; the figures differ by memory-bandwidth noise on "
            + "the shared machine (see their ± error) and, for a new float[], by the JVM zeroing it";
    static final String SMALL_ALLOCATION = "beyond the JDK's own allocateDirect + put, each call pays the fixed cost "
            + "of the host array (see P1) and a second Cleaner registration, the memory ledger's safety net for each "
            + "new block";
    static final String STALLS = "both sides allocate new direct memory on every call and free it only when the "
            + "garbage collector runs the buffers' Cleaners; once the direct-memory limit is reached, "
            + "java.nio.Bits.reserveMemory calls System.gc() and sleeps until memory comes back. Those stalls dominate "
            + "both figures (see their ± error), so this ratio says more about when the stalls fell than about "
            + "tensorbridge's own work, which is the same bulk copy";

    @Override
    public String id() {
        return "P2";
    }

    @Override
    public String measure() {
        return "copy conversion into a float[] and into a direct buffer, at 4 KiB, 4 MiB, 256 MiB";
    }

    @Override
    public String target() {
        return "≥ 0.95× JDK bulk copy; ≥ 5× ND4J toFloatVector(); ≥ 1× TensorFlow Java";
    }

    @Override
    public List<Line> lines(JmhResults jmh, PeerResults peers) {
        List<Line> lines = new ArrayList<>();
        for (String size : P1Row.SIZES) {
            var copyTo = jmh.find(B + "tensorbridgeCopyToFloatArray", size);
            var always = jmh.find(B + "tensorbridgeToHostAlways", size);
            String copyLimit = size.equals("4KiB") ? FIXED_COST : SAME_COPY;
            lines.add(Line.compare(id(), "toHost().copyTo(float[]), " + size, copyTo,
                    "JDK FloatBuffer.get(float[]) from direct memory", jmh.find(B + "jdkFloatBufferGetFloatArray", size),
                    new Criterion.SpeedAtLeast(0.95), copyLimit));
            lines.add(Line.compare(id(), "copyTo(float[]) out of a host array kept open (no toHost, no close), " + size,
                    jmh.find(B + "tensorbridgeCopyToFloatArrayFromOpenHostArray", size),
                    "JDK FloatBuffer.get(float[]) from direct memory", jmh.find(B + "jdkFloatBufferGetFloatArray", size),
                    new Criterion.Context(), ""));
            lines.add(Line.compare(id(), "toHost().copyTo(float[]), " + size, copyTo,
                    "TensorFlow Java copyTo(DataBuffers.of(float[]))", jmh.find(B + "tensorflowCopyToFloatArray", size),
                    new Criterion.SpeedAtLeast(1), copyLimit));
            lines.add(Line.compare(id(), "toHost().toFloatArray() (new float[]), " + size,
                    jmh.find(B + "tensorbridgeToFloatArray", size), "ND4J toFloatVector() (new float[])",
                    jmh.find(B + "nd4jToFloatVector", size), new Criterion.SpeedAtLeast(5), copyLimit));
            lines.add(Line.compare(id(), "toHost(ALWAYS) (new direct memory), " + size, always,
                    "JDK ByteBuffer.allocateDirect(n).put(source)", jmh.find(B + "jdkAllocateDirectPut", size),
                    new Criterion.SpeedAtLeast(0.95), size.equals("4KiB") ? SMALL_ALLOCATION : STALLS));
            lines.add(Line.compare(id(), "toHost(ALWAYS) (new direct memory), " + size, always,
                    "JDK put into a direct buffer allocated once", jmh.find(B + "jdkDirectPut", size),
                    new Criterion.SpeedAtLeast(0.95), NEW_MEMORY));
            lines.add(Line.compare(id(), "toHost(ALWAYS) (new direct memory), " + size, always,
                    "TensorFlow Java copyTo(DataBuffers.of(direct FloatBuffer)), allocated once",
                    jmh.find(B + "tensorflowCopyToDirectBuffer", size), new Criterion.SpeedAtLeast(1), NEW_MEMORY));
        }
        return lines;
    }
}
