package org.tensorbridge.bench.report;

import java.util.ArrayList;
import java.util.List;

/** P4, eager add and multiply with the result allocated, from {@code P4EagerArithmetic}. */
public final class P4Row implements Row {
    static final List<String> COUNTS = List.of("1K", "1M", "16M");
    private static final String B = "P4EagerArithmetic.";

    static final String SMALL = "the fixed cost around a 1 K op, now that the arithmetic is a Java loop (ND4J's "
            + "per-op dispatch, tens of µs, is skipped up to 16 K elements) and the result a reused host block: the "
            + "operands' pins, the tensor and storage objects and their reference counts; NumPy's small-object path "
            + "is leaner still";
    static final String LARGE = "the arithmetic itself: ND4J's kernel (about 85 % of a 1 M add's JFR samples are in "
            + "Nd4jCpu.execCustomOp2) on the CPU backend's two shared cores, into a reused host block (no zeroing, no "
            + "garbage-collected memory); TensorFlow's eager kernels are multi-threaded Eigen. At 16 M each call moves "
            + "192 MB and both sides are bound by memory bandwidth; single iterations of either side differ by 10-25 % "
            + "(see the ± error), after six seconds of warm-up per fork (NativeKernelWarmUp), so these lines are met "
            + "in one run and missed in the next (compare add and multiply, which do the same work)";

    @Override
    public String id() {
        return "P4";
    }

    @Override
    public String measure() {
        return "eager add and multiply on the CPU backend, result allocated, at 1 K, 1 M, 16 M elements";
    }

    @Override
    public String target() {
        return "≥ 1× TensorFlow Java at 1 M and 16 M; ≤ 2 µs per call at 1 K";
    }

    @Override
    public List<Line> lines(JmhResults jmh, PeerResults peers) {
        List<Line> lines = new ArrayList<>();
        String[][] ops = {
            {"add", "tensorbridgeAdd", "tensorflowAdd", "math.add", "nd4jAdd", "a.add(b)", "a + b"},
            {"multiply", "tensorbridgeMultiply", "tensorflowMul", "math.mul", "nd4jMul", "a.mul(b)", "a * b"},
        };
        for (String[] op : ops) {
            for (String count : COUNTS) {
                var score = jmh.find(B + op[1], count);
                String measure = op[0] + ", float32, " + count + " elements";
                boolean small = count.equals("1K");
                lines.add(Line.compare(id(), measure, score, "TensorFlow Java eager " + op[3] + ", result freed",
                        jmh.find(B + op[2], count),
                        small ? new Criterion.NanosAtMost(2_000) : new Criterion.SpeedAtLeast(1), small ? SMALL : LARGE));
                lines.add(Line.compare(id(), measure, score, "raw ND4J " + op[5] + ", result closed",
                        jmh.find(B + op[4], count), new Criterion.Context(), ""));
                lines.add(Line.compare(id(), measure, score, "NumPy " + op[6] + ", recorded beside",
                        peers.find(op[6], count), new Criterion.Context(), ""));
            }
        }
        return lines;
    }
}
