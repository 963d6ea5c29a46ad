package org.tensorbridge.bench.report;

import java.util.ArrayList;
import java.util.List;

/** P3, device to host on the GPU backend, from {@code P3GpuDeviceToHost}. */
public final class P3Row implements Row {
    static final List<String> SIZES = List.of("4MiB", "256MiB");
    private static final String B = "P3GpuDeviceToHost.";

    static final String NEW_MEMORY = "toHost() must return new host memory on every call: ByteBuffer.allocateDirect "
            + "zeroes it (a second pass over the bytes) and reserves it against the direct-memory limit, freed only "
            + "by the garbage collector, while the baseline reads into one buffer allocated once; the read itself is "
            + "the same blocking clEnqueueReadBuffer (compare raw JOCL into a new direct buffer, the line below)";

    private final OpenClRow openCl;

    /** @param openCl what the suite found of the OpenCL device */
    public P3Row(OpenClRow openCl) {
        this.openCl = openCl;
    }

    @Override
    public String id() {
        return "P3";
    }

    @Override
    public String measure() {
        return "GPU backend device → host (toHost()) at 4 MiB and 256 MiB, against raw JOCL clEnqueueReadBuffer into a "
                + "direct buffer; " + openCl.note();
    }

    @Override
    public String target() {
        return "≥ 0.9× raw JOCL";
    }

    @Override
    public List<Line> lines(JmhResults jmh, PeerResults peers) {
        if (openCl.absent()) {
            return List.of();
        }
        List<Line> lines = new ArrayList<>();
        for (String size : SIZES) {
            var score = jmh.find(B + "tensorbridgeToHost", size);
            String measure = "toHost() of float32 device memory, " + size;
            lines.add(Line.compare(id(), measure, score, "raw JOCL clEnqueueReadBuffer into a direct buffer allocated once",
                    jmh.find(B + "joclReadIntoDirectBuffer", size), new Criterion.SpeedAtLeast(0.9), NEW_MEMORY));
            lines.add(Line.compare(id(), measure, score, "raw JOCL clEnqueueReadBuffer into a new direct buffer",
                    jmh.find(B + "joclReadIntoNewDirectBuffer", size), new Criterion.Context(), ""));
        }
        return lines;
    }

    @Override
    public String notMeasuredBecause() {
        return openCl.absent() ? "no OpenCL device" : null;
    }

    @Override
    public String notMeasuredStatus() {
        return openCl.notMeasured();
    }
}
