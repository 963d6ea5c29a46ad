package org.tensorbridge.bench.report;

import java.util.List;

/**
 * P5, fusion on the GPU backend, from {@code P5GpuFusedGraph}: a three-op and a six-op elementwise chain,
 * each as one fused kernel against the same ops eagerly, on the device and fetched to the host.
 */
public final class P5Row implements Row {
    private static final String B = "P5GpuFusedGraph.";

    static final String LIMIT_SIX_OPS = "the fused kernel reads 3 arrays and writes 1, as the three ops' kernel does; the "
            + "eager ops read 9, write 6 and allocate 5 intermediates, which caps the kernels' gain near 3.75× where "
            + "memory bandwidth bounds them. exp and tanh cost the same arithmetic on both sides, and fusion cannot "
            + "remove it: where that arithmetic bounds the fused kernel (graphSixOpsFusedOnDevice against "
            + "graphFusedOnDevice, which moves the same bytes, shows its cost) the ratio falls toward 1; on PoCL it "
            + "runs on the CPU's cores. Fetched to the host, both sides also pay the same "
            + "64 MiB device → host copy";

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
        return "GPU backend, graphs of elementwise ops at 16 M, each fused into one kernel, against the same ops "
                + "eagerly: three ops ((a + b) × c − a), and a six-op chain with unary ones (tanh((a + b) × c − exp(a)) "
                + "/ 2); results left on the device (Session.runTensor), and fetched to the host; " + openCl.note();
    }

    @Override
    public String target() {
        return "≥ 2× three ops, ≥ 4× six ops (fusion)";
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
                jmh.find(B + "eagerThreeOpsToHost", "16M"), new Criterion.SpeedAtLeast(2), LIMIT),
                Line.compare(id(), "six-op graph run (one fused kernel), result left on the device, float32, 16M",
                jmh.find(B + "graphSixOpsFusedOnDevice", "16M"), "the same six ops eagerly (six kernels)",
                jmh.find(B + "eagerSixOpsOnDevice", "16M"), new Criterion.SpeedAtLeast(4), LIMIT_SIX_OPS),
                Line.compare(id(), "six-op graph run (one fused kernel) + fetch to host, float32, 16M elements",
                jmh.find(B + "graphSixOpsFused", "16M"), "the same six ops eagerly (six kernels) + toHost()",
                jmh.find(B + "eagerSixOpsToHost", "16M"), new Criterion.SpeedAtLeast(4), LIMIT_SIX_OPS));
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
