package org.tensorbridge.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * P5, fusion on the GPU backend, over three float32 tensors of 16 M elements in device memory, for two
 * chains: three operations, {@code ((a + b) * c) - a}, and six including unary ones,
 * {@code tanh((a + b) * c - exp(a)) / 2}. Each runs as a graph (all its operations fused into one
 * generated kernel: each input read once, the result written once) against the same operations run
 * eagerly (one kernel and one intermediate device buffer per operation but the last). Measured twice:
 * with the result left on the device ({@code Session.runTensor} against the eager result tensor; every
 * operation of the GPU backend has finished when it returns), and with the result fetched to the host
 * ({@code Session.run} against the eager result's {@code toHost()}), where both sides also pay the same
 * device → host copy.
 *
 * <p>The setup checks that each graph run is one kernel launch and that graph and eager results agree
 * bit for bit. Needs an OpenCL device; without a GPU it runs on PoCL on the CPU, where figures measure
 * the CPU's memory bandwidth and, for exp and tanh, its arithmetic.
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

    private static final float A = 1.5f;
    private static final float B = 2.0f;
    private static final float C = 3.0f;

    Backend gpu;
    Tensor a;
    Tensor b;
    Tensor c;
    Graph graph;
    Session session;
    Symbol fetch;
    Symbol sixOps;
    Map<Symbol, Object> feeds;

    @Setup(Level.Trial)
    public void setUp() {
        gpu = Backends.get("gpu");
        Shape shape = Shape.of(Sizes.elements(count));
        a = gpu.fill(DType.FLOAT32, shape, A);
        b = gpu.fill(DType.FLOAT32, shape, B);
        c = gpu.fill(DType.FLOAT32, shape, C);
        graph = gpu.newGraph();
        Symbol x = graph.placeholder("a", DType.FLOAT32, shape.elementCount());
        Symbol y = graph.placeholder("b", DType.FLOAT32, shape.elementCount());
        Symbol z = graph.placeholder("c", DType.FLOAT32, shape.elementCount());
        fetch = x.add(y).multiply(z).subtract(x);
        sixOps = x.add(y).multiply(z).subtract(x.exp()).tanh().divide(2);
        feeds = Map.of(x, a, y, b, z, c);
        session = graph.newSession();
        checkFused(fetch, this::eagerThreeOps, (A + B) * C - A, 0, "three ops");
        checkFused(sixOps, this::eagerSixOps, (float) Math.tanh((A + B) * C - (float) Math.exp(A)) / 2, 16, "six ops");
    }

    /**
     * Checks that a graph run of {@code symbol} is one kernel launch, with the result left on the device
     * and fetched to the host, and that it equals the eager operations bit for bit at the first and the
     * last element, and {@code expected} within {@code ulps} (computed on the JVM: exact for the three ops,
     * within OpenCL's allowed error of exp and tanh for the six).
     */
    private void checkFused(Symbol symbol, Supplier<HostArray> eager, float expected, int ulps, String what) {
        long last = a.shape().elementCount() - 1;
        long before = launches();
        try (Tensor onDevice = session.runTensor(symbol, feeds)) {
            requireOneLaunch(launches() - before, what + ", runTensor");
            try (HostArray fromDevice = onDevice.toHost(); HostArray eagerResult = eager.get()) {
                requireAgreement(fromDevice, eagerResult, last, expected, ulps, what + ", runTensor");
            }
        }
        before = launches();
        try (HostArray fused = session.run(symbol, feeds)) {
            requireOneLaunch(launches() - before, what + ", run");
            try (HostArray eagerResult = eager.get()) {
                requireAgreement(fused, eagerResult, last, expected, ulps, what + ", run");
            }
        }
    }

    private long launches() {
        return gpu instanceof GpuBackend g ? g.kernelLaunches() : 0;
    }

    private void requireOneLaunch(long launches, String what) {
        if (gpu instanceof GpuBackend && launches != 1) {
            throw new IllegalStateException(what + ": a graph run launched " + launches + " kernels; fusion makes it one");
        }
    }

    private static void requireAgreement(HostArray fused, HostArray eager, long last, float expected, int ulps,
            String what) {
        for (long i : new long[] {0, last}) {
            float got = fused.getFloat(i);
            if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(eager.getFloat(i))
                    || Math.abs(got - expected) > ulps * Math.ulp(expected)) {
                throw new IllegalStateException(what + ": graph " + got + ", eager " + eager.getFloat(i) + " at " + i
                        + "; expected " + expected);
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

    private HostArray eagerSixOps() {
        try (Tensor sum = a.add(b); Tensor product = sum.multiply(c); Tensor exp = a.exp();
                Tensor difference = product.subtract(exp); Tensor tanh = difference.tanh();
                Tensor result = tanh.divide(2)) {
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

    @Benchmark
    public Tensor graphSixOpsFusedOnDevice() {
        Tensor result = session.runTensor(sixOps, feeds);
        result.close();
        return result;
    }

    @Benchmark
    public Tensor eagerSixOpsOnDevice() {
        try (Tensor sum = a.add(b); Tensor product = sum.multiply(c); Tensor exp = a.exp();
                Tensor difference = product.subtract(exp); Tensor tanh = difference.tanh()) {
            Tensor result = tanh.divide(2);
            result.close();
            return result;
        }
    }

    @Benchmark
    public HostArray graphSixOpsFused() {
        HostArray result = session.run(sixOps, feeds);
        result.close();
        return result;
    }

    @Benchmark
    public HostArray eagerSixOpsToHost() {
        HostArray result = eagerSixOps();
        result.close();
        return result;
    }
}
