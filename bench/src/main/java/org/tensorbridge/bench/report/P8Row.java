package org.tensorbridge.bench.report;

import java.util.ArrayList;
import java.util.List;

/** P8, the TensorFlow backend against raw TensorFlow Java, from {@code P8aTensorflowEager}, {@code P8bTensorflowShare}, {@code P8cTensorflowSession}. */
public final class P8Row implements Row {
    private static final String EAGER = "P8aTensorflowEager.";
    private static final String SHARE = "P8bTensorflowShare.";
    private static final String SESSION = "P8cTensorflowSession.";

    static final String RUN_COPIES = "the result is TensorFlow's output handed over (0 bytes copied); what is added "
            + "is the run's own objects: the fed tensors wrapped for TensorFlow, the runner, the adopted output and its "
            + "host array (gc.alloc.rate.norm: about 4.1 KB per run against TensorFlow Java's 3.0 KB), a fixed cost that "
            + "shows at 1 K and is inside the error at 1 M";

    @Override
    public String id() {
        return "P8";
    }

    @Override
    public String measure() {
        return "the TensorFlow backend against raw TensorFlow Java: eager add and multiply at 1 M and 16 M float32, "
                + "toHost(CopyPolicy.NEVER) at 4 KiB, 4 MiB, 256 MiB, Session.run of the small graph at 1 K and 1 M";
    }

    @Override
    public String target() {
        return "eager ≥ 0.9× TensorFlow Java eager; toHost(NEVER) ≤ 100 ns at every size; Session.run ≥ 0.9× "
                + "TensorFlow Java Session.runner()";
    }

    @Override
    public List<Line> lines(JmhResults jmh, PeerResults peers) {
        List<Line> lines = new ArrayList<>();
        for (String count : List.of("1M", "16M")) {
            lines.add(Line.compare(id(), "add, float32, " + count + " elements", jmh.find(EAGER + "tensorbridgeAdd", count),
                    "TensorFlow Java eager math.add", jmh.find(EAGER + "tensorflowAdd", count),
                    new Criterion.SpeedAtLeast(0.9), "the same TensorFlow kernel; the rest is the call's own work"));
            lines.add(Line.compare(id(), "multiply, float32, " + count + " elements",
                    jmh.find(EAGER + "tensorbridgeMultiply", count), "TensorFlow Java eager math.mul",
                    jmh.find(EAGER + "tensorflowMul", count), new Criterion.SpeedAtLeast(0.9),
                    "the same TensorFlow kernel; the rest is the call's own work"));
        }
        for (String size : List.of("4KiB", "4MiB", "256MiB")) {
            lines.add(Line.compare(id(), "toHost(NEVER) + close, " + size, jmh.find(SHARE + "tensorbridgeToHostNever", size),
                    "TensorFlow Java asRawTensor().data().asFloats()", jmh.find(SHARE + "tensorflowTypedView", size),
                    new Criterion.NanosAtMost(100), "a host view of engine memory is two objects, the view's own "
                            + "block (HostStorage.viewHolding, which takes the conversion's pin over) and the host array, "
                            + "and the view's release of TensorFlow's tensor when it closes: one atomic update more than "
                            + "the CPU backend's share (P1)"));
        }
        for (String count : List.of("1K", "1M")) {
            lines.add(Line.compare(id(), "Session.run(add, feeds), float32, " + count + " elements",
                    jmh.find(SESSION + "tensorbridgeSessionRun", count), "TensorFlow Java Session.runner().feed(a).feed(b)"
                            + ".fetch(sum).run(), Result closed", jmh.find(SESSION + "tensorflowSessionRun", count),
                    new Criterion.SpeedAtLeast(0.9), RUN_COPIES));
            lines.add(Line.compare(id(), "Session.runTensor(add, feeds), float32, " + count + " elements",
                    jmh.find(SESSION + "tensorbridgeSessionRunTensor", count), "TensorFlow Java Session.runner()",
                    jmh.find(SESSION + "tensorflowSessionRun", count), new Criterion.Context(), ""));
        }
        return lines;
    }
}
