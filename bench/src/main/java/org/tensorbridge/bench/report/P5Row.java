package org.tensorbridge.bench.report;

import java.util.List;

/** P5, fusion on the GPU backend, from {@code P5GpuFusedGraph}. */
public final class P5Row implements Row {
    private static final String B = "P5GpuFusedGraph.";

    static final String LIMIT = "fusion removes kernel launches and the two intermediate buffers (the fused kernel "
            + "reads 3 arrays and writes 1; the eager ops read 6, write 3 and allocate 2 intermediates), which caps the "
            + "kernels' gain near 2.25× where memory bandwidth bounds them. Fetched to the host, both sides also pay "
            + "the same 64 MiB device → host copy, which fusion cannot remove and which dilutes the ratio. On PoCL "
            + "kernels and copy all run on the CPU's memory bandwidth";

    private final OpenClRow openCl;

    /** @param openCl what the suite found of the OpenCL device */
    public P5Row(OpenClRow openCl) {
        this.openCl = openCl;
    }

    @Override
    public String id() {
        return "P5";
    }

    @Override
    public String measure() {
        return "GPU backend, a graph of three elementwise ops ((a + b) × c − a) at 16 M, fused, against the same three "
                + "ops eagerly: results left on the device (Session.runTensor), and fetched to the host; "
                + openCl.note();
    }

    @Override
    public String target() {
        return "≥ 2× (fusion)";
    }

    @Override
    public List<Line> lines(JmhResults jmh, PeerResults peers) {
        if (openCl.absent()) {
            return List.of();
        }
        return List.of(Line.compare(id(), "graph run (one fused kernel), result left on the device, float32, 16M",
                jmh.find(B + "graphFusedOnDevice", "16M"), "the same three ops eagerly (three kernels)",
                jmh.find(B + "eagerThreeOpsOnDevice", "16M"), new Criterion.SpeedAtLeast(2), LIMIT),
                Line.compare(id(), "graph run (one fused kernel) + fetch to host, float32, 16M elements",
                jmh.find(B + "graphFused", "16M"), "the same three ops eagerly (three kernels) + toHost()",
                jmh.find(B + "eagerThreeOpsToHost", "16M"), new Criterion.SpeedAtLeast(2), LIMIT));
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
