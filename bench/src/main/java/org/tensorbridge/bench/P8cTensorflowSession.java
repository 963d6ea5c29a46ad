package org.tensorbridge.bench;

import java.util.Arrays;
import java.util.Map;
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
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.Shape;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;
import org.tensorflow.Result;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Add;
import org.tensorflow.types.TFloat32;

/**
 * P8c, the small graph of P4b (two fed float32 placeholders, one add, one fetch) through {@code Session.run} on
 * the TensorFlow backend, which runs it as a TensorFlow graph in a TensorFlow session, against TensorFlow Java's
 * {@code Session.runner().feed().feed().fetch().run()} on the same graph. Both feed tensors made once, and both
 * free the result inside the call: tensorbridge's is a host array (independent, so copied out of TensorFlow's
 * output), TensorFlow Java's the {@code Result}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class P8cTensorflowSession {
    private static final float A = 1.5f;
    private static final float B = 2.5f;

    /** Elements of each fed input. */
    @Param({"1K", "1M"})
    public String count;

    /** A graph and session on the TensorFlow backend, and the two fed tensors. */
    @State(Scope.Benchmark)
    public static class Tensorbridge {
        Tensor a;
        Tensor b;
        Graph graph;
        Session session;
        Symbol sum;
        Map<Symbol, Object> feeds;

        @Setup(Level.Trial)
        public void setUp(P8cTensorflowSession bench) {
            Backend tensorflow = Backends.get("tensorflow");
            int n = Sizes.elements(bench.count);
            a = tensorflow.fill(DType.FLOAT32, Shape.of(n), A);
            b = tensorflow.fill(DType.FLOAT32, Shape.of(n), B);
            graph = tensorflow.newGraph();
            Symbol x = graph.placeholder("a", DType.FLOAT32, n);
            Symbol y = graph.placeholder("b", DType.FLOAT32, n);
            sum = x.add(y);
            feeds = Map.of(x, a, y, b);
            session = graph.newSession();
            try (HostArray check = session.run(sum, feeds)) {
                if (check.getFloat(n - 1) != A + B) {
                    throw new IllegalStateException("graph run gave " + check.getFloat(n - 1) + ", expected " + (A + B));
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            session.close();
            graph.close();
            a.close();
            b.close();
        }
    }

    /** The same graph in TensorFlow Java: two placeholders and an add, fed with tensors made once. */
    @State(Scope.Benchmark)
    public static class TensorFlow {
        org.tensorflow.Graph graph;
        org.tensorflow.Session session;
        Placeholder<TFloat32> x;
        Placeholder<TFloat32> y;
        Add<TFloat32> sum;
        TFloat32 a;
        TFloat32 b;

        @Setup(Level.Trial)
        public void setUp(P8cTensorflowSession bench) {
            int n = Sizes.elements(bench.count);
            graph = new org.tensorflow.Graph();
            Ops tf = Ops.create(graph);
            x = tf.placeholder(TFloat32.class);
            y = tf.placeholder(TFloat32.class);
            sum = tf.math.add(x, y);
            session = new org.tensorflow.Session(graph);
            a = filled(n, A);
            b = filled(n, B);
        }

        private static TFloat32 filled(int n, float value) {
            float[] values = new float[n];
            Arrays.fill(values, value);
            return TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(n), DataBuffers.of(values, true, false));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            session.close();
            graph.close();
            a.close();
            b.close();
        }
    }

    @Benchmark
    public HostArray tensorbridgeSessionRun(Tensorbridge graph) {
        HostArray result = graph.session.run(graph.sum, graph.feeds);
        result.close();
        return result;
    }

    @Benchmark
    public Tensor tensorbridgeSessionRunTensor(Tensorbridge graph) {
        Tensor result = graph.session.runTensor(graph.sum, graph.feeds);
        result.close();
        return result;
    }

    @Benchmark
    public Result tensorflowSessionRun(TensorFlow graph) {
        Result result = graph.session.runner().feed(graph.x, graph.a).feed(graph.y, graph.b).fetch(graph.sum).run();
        result.close();
        return result;
    }
}
