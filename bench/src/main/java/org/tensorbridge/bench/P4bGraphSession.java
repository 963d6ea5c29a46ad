package org.tensorbridge.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tensorbridge.Backends;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorflow.Result;

/**
 * P4b, a small graph run: two fed float32 placeholders, one add, one fetch, through tensorbridge's
 * {@code Session.run} on the CPU backend at 1 K and 1 M elements, against TensorFlow Java 1.1.0's
 * {@code Session.runner().feed().feed().fetch().run()} on the same graph. Both feed placeholders (a graph
 * of constants would be folded by TensorFlow) with tensors made once in the setup, and both free the
 * fetched result inside the call (tensorbridge closes its host array, TensorFlow closes its
 * {@code Result}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = NativeKernelWarmUp.ITERATIONS, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class P4bGraphSession {
    /** Elements of each fed input. */
    @Param({"1K", "1M"})
    public String count;

    /** {@link AddGraph} on the cpu backend found through {@code Backends}. */
    @State(Scope.Benchmark)
    public static class Tensorbridge {
        AddGraph graph;

        @Setup(Level.Trial)
        public void setUp(P4bGraphSession bench) {
            graph = new AddGraph(Backends.get("cpu"), Sizes.elements(bench.count));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            graph.close();
        }
    }

    /** The same graph in TensorFlow Java. */
    @State(Scope.Benchmark)
    public static class TensorFlow {
        TensorFlowAddGraph graph;

        @Setup(Level.Trial)
        public void setUp(P4bGraphSession bench) {
            graph = new TensorFlowAddGraph(Sizes.elements(bench.count));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            graph.close();
        }
    }

    @Benchmark
    public HostArray tensorbridgeSessionRun(Tensorbridge state) {
        HostArray result = state.graph.session.run(state.graph.sum, state.graph.feeds);
        result.close();
        return result;
    }

    @Benchmark
    public Result tensorflowSessionRun(TensorFlow state) {
        Result result = state.graph.run();
        result.close();
        return result;
    }
}
