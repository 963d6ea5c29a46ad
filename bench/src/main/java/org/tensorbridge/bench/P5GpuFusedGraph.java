package org.tensorbridge.bench;

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
import org.tensorbridge.backend.gpu.GpuBackend;

/**
 * P5, fusion on the GPU backend: {@code ((a + b) * c) - a} over three float32 tensors of 16 M elements
 * in device memory, as a graph run (the three operations fused into one generated kernel: each input
 * read once, the result written once) against the same three operations run eagerly (three kernels, two
 * intermediate device buffers). Measured twice: with the result left on the device
 * ({@code Session.runTensor} against the eager result tensor; every operation of the GPU backend has
 * finished when it returns), and with the result fetched to the host ({@code Session.run} against the
 * eager result's {@code toHost()}), where both sides also pay the same device → host copy.
 *
 * <p>The setup checks that a graph run is one kernel launch and that both sides agree. Needs an OpenCL
 * device; without a GPU it runs on PoCL on the CPU, where figures measure CPU memory bandwidth.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class P5GpuFusedGraph {
    /** Elements of each tensor. */
    @Param({"16M"})
    public String count;

    Tensor a;
    Tensor b;
    Tensor c;
    Graph graph;
    Session session;
    Symbol fetch;
    Map<Symbol, Object> feeds;

    @Setup(Level.Trial)
    public void setUp() {
        Backend gpu = Backends.get("gpu");
        Shape shape = Shape.of(Sizes.elements(count));
        a = gpu.fill(DType.FLOAT32, shape, 1.5f);
        b = gpu.fill(DType.FLOAT32, shape, 2.0f);
        c = gpu.fill(DType.FLOAT32, shape, 3.0f);
        graph = gpu.newGraph();
        Symbol x = graph.placeholder("a", DType.FLOAT32, shape.elementCount());
        Symbol y = graph.placeholder("b", DType.FLOAT32, shape.elementCount());
        Symbol z = graph.placeholder("c", DType.FLOAT32, shape.elementCount());
        fetch = x.add(y).multiply(z).subtract(x);
        feeds = Map.of(x, a, y, b, z, c);
        session = graph.newSession();
        long before = gpu instanceof GpuBackend g ? g.kernelLaunches() : 0;
        try (Tensor onDevice = session.runTensor(fetch, feeds); HostArray fromDevice = onDevice.toHost()) {
            float expected = (1.5f + 2.0f) * 3.0f - 1.5f;
            if (fromDevice.getFloat(shape.elementCount() - 1) != expected) {
                throw new IllegalStateException("runTensor gave " + fromDevice.getFloat(shape.elementCount() - 1)
                        + "; expected " + expected);
            }
        }
        before = gpu instanceof GpuBackend g ? g.kernelLaunches() : 0;
        try (HostArray fused = session.run(fetch, feeds)) {
            long launches = gpu instanceof GpuBackend g ? g.kernelLaunches() - before : 1;
            if (launches != 1) {
                throw new IllegalStateException("a graph run launched " + launches + " kernels; fusion makes it one");
            }
            try (HostArray eager = eagerThreeOps()) {
                float expected = (1.5f + 2.0f) * 3.0f - 1.5f;
                long last = shape.elementCount() - 1;
                if (fused.getFloat(0) != expected || fused.getFloat(last) != expected
                        || eager.getFloat(last) != expected) {
                    throw new IllegalStateException("graph " + fused.getFloat(last) + ", eager " + eager.getFloat(last)
                            + "; expected " + expected);
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        graph.close();
        a.close();
        b.close();
        c.close();
    }

    private HostArray eagerThreeOps() {
        try (Tensor sum = a.add(b); Tensor product = sum.multiply(c); Tensor result = product.subtract(a)) {
            return result.toHost();
        }
    }

    @Benchmark
    public Tensor graphFusedOnDevice() {
        Tensor result = session.runTensor(fetch, feeds);
        result.close();
        return result;
    }

    @Benchmark
    public Tensor eagerThreeOpsOnDevice() {
        try (Tensor sum = a.add(b); Tensor product = sum.multiply(c)) {
            Tensor result = product.subtract(a);
            result.close();
            return result;
        }
    }

    @Benchmark
    public HostArray graphFused() {
        HostArray result = session.run(fetch, feeds);
        result.close();
        return result;
    }

    @Benchmark
    public HostArray eagerThreeOpsToHost() {
        HostArray result = eagerThreeOps();
        result.close();
        return result;
    }
}
