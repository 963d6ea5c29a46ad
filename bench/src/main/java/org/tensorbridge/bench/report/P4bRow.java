package org.tensorbridge.bench.report;

import java.util.List;

/** P4b, a small graph through {@code Session.run}, from {@code P4bGraphSession}. */
public final class P4bRow implements Row {
    private static final String B = "P4bGraphSession.";

    static final String SMALL = "the run executes the CPU backend's eager add (compare P4's add at 1 K in this run, "
            + "now a Java loop at this size), plus the session's own work on top of it: turning the two fed tensors "
            + "into operands, the graph walk, and the fetched host array that takes the result over";
    static final String LARGE = "the run's add is the CPU backend's eager add (compare P4's add at 1 M in this run) "
            + "plus about 2 µs of the session's own work (the 1 K line: fed tensors as operands, the graph walk, the "
            + "result handed over as a host array); what remains is the add's own swing between iterations (P4's "
            + "± error at 1 M), after six seconds of warm-up per fork (NativeKernelWarmUp)";

    @Override
    public String id() {
        return "P4b";
    }

    @Override
    public String measure() {
        return "a small graph (two fed placeholders, one add, one fetch) through Session.run on the CPU backend at 1 K "
                + "and 1 M, against TensorFlow Java's Session.runner().feed().fetch().run()";
    }

    @Override
    public String target() {
        return "≤ 5 µs per run at 1 K; ≥ 1× TensorFlow Java at 1 M";
    }

    @Override
    public List<Line> lines(JmhResults jmh, PeerResults peers) {
        String baseline = "TensorFlow Java Session.runner().feed(a).feed(b).fetch(sum).run(), Result closed";
        return List.of(
                Line.compare(id(), "Session.run(add, feeds), float32, 1K elements", jmh.find(B + "tensorbridgeSessionRun", "1K"),
                        baseline, jmh.find(B + "tensorflowSessionRun", "1K"), new Criterion.NanosAtMost(5_000), SMALL),
                Line.compare(id(), "Session.run(add, feeds), float32, 1M elements", jmh.find(B + "tensorbridgeSessionRun", "1M"),
                        baseline, jmh.find(B + "tensorflowSessionRun", "1M"), new Criterion.SpeedAtLeast(1), LARGE));
    }
}
