package org.tensorbridge.bench.report;

import java.util.ArrayList;
import java.util.List;

/** P3, device to host on the GPU backend, from {@code P3GpuDeviceToHost}. */
public final class P3Row implements Row {
    static final List<String> SIZES = List.of("4MiB", "256MiB");
    private static final String B = "P3GpuDeviceToHost.";

    static final String NEW_MEMORY = "toHost() returns memory of its own on every call: on a discrete GPU a pinned "
            + "block (CL_MEM_ALLOC_HOST_PTR, mapped once) lent by the backend's bounded pool and taken back at close, "
            + "elsewhere (PoCL, integrated GPUs) a pageable block of the spi's host pool; either is reused without "
            + "zeroing once the previous array is closed, since no buffer over it escaped. Around the same blocking "
            + "clEnqueueReadBuffer it pays a host array object and a clFinish; where no pool block can serve (a first "
            + "call, or blocks whose buffers were handed out) it pays a new block. Pinned staging was not measured on "
            + "a GPU when it was added (no GPU was available); on PoCL the read is a memcpy on the same CPU cores that "
            + "run the rest, and load from other work shows";

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
            lines.add(Line.compare(id(), measure, score, "raw JOCL clEnqueueReadBuffer into pinned memory mapped once",
                    jmh.find(B + "joclReadIntoPinnedBuffer", size), new Criterion.Context(), ""));
            lines.add(Line.compare(id(), measure, score,
                    "toHost() with pinned staging off (tensorbridge.gpu.pinned=never)",
                    jmh.find(B + "tensorbridgeToHostPageable", size), new Criterion.Context(), ""));
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
