package org.tensorbridge.bench.report;

import java.util.ArrayList;
import java.util.List;

/** P4, eager add and multiply with the result allocated, from {@code P4EagerArithmetic}. */
public final class P4Row implements Row {
    static final List<String> COUNTS = List.of("1K", "1M", "16M");
    private static final String B = "P4EagerArithmetic.";

    static final String SMALL = "the fixed cost around a 1 K add, now that the arithmetic is a Java loop (ND4J's "
            + "per-op dispatch, tens of µs, is skipped up to 16 K elements): the result's new 4 KiB of direct memory "
            + "(ByteBuffer.allocateDirect zeroes it, reserves it and registers a cleaner), the operands' pins and the "
            + "tensor objects; NumPy allocates from its small-object pool";
    static final String LARGE = "the result's memory, not the arithmetic: every result is new memory from "
            + "ByteBuffer.allocateDirect, which zeroes it (first-touch page faults plus a pass over the bytes), and "
            + "HostStorage leaves freeing to the garbage collector, so once the direct-memory limit is reached "
            + "java.nio.Bits.reserveMemory calls System.gc() and sleeps. TensorFlow's result goes back to its "
            + "allocator the moment it is freed. The arithmetic is ND4J's kernel, the same as raw ND4J's";

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
