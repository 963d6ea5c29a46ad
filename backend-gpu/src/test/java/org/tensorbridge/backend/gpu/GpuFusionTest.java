package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;
import org.tensorbridge.spi.BinaryOp;

/**
 * Graph fusion on the device: a chain of elementwise operations runs as one generated kernel whose
 * values are bit for bit those of the operations run one at a time, for every floating dtype the backend
 * declares; kernels are compiled once per signature and dtype (scalars are arguments), and the cache of
 * generated programs is bounded. Skipped without OpenCL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpuFusionTest {
    private static final int N = 3001; // not a multiple of the launch granule
    private GpuBackend backend;
    private final Random random = new Random(20261201L);

    @BeforeAll
    void open() {
        backend = OpenCl.backendOrNull();
    }

    @BeforeEach
    void requireOpenCl() {
        OpenCl.assumeAvailable();
    }

    @AfterAll
    void close() {
        if (backend != null) {
            assertEquals(0, backend.ledger().liveBlocks(), "a test left memory open: " + backend.ledger());
            backend.close();
        }
    }

    /** A random expression tree over placeholders, built both as graph symbols and as eager tensors. */
    private interface Chain {
        Symbol symbol(List<Symbol> placeholders);

        Tensor eager(List<Tensor> inputs, List<Tensor> temporaries);

        int operations();
    }

    private record Leaf(int index) implements Chain {
        @Override
        public Symbol symbol(List<Symbol> placeholders) {
            return placeholders.get(index);
        }

        @Override
        public Tensor eager(List<Tensor> inputs, List<Tensor> temporaries) {
            return inputs.get(index);
        }

        @Override
        public int operations() {
            return 0;
        }
    }

    private record Op(BinaryOp op, Chain left, Chain right, Double scalar) implements Chain {
        @Override
        public Symbol symbol(List<Symbol> placeholders) {
            Symbol a = left.symbol(placeholders);
            if (scalar != null) {
                return switch (op) {
                    case ADD -> a.add(scalar);
                    case SUBTRACT -> a.subtract(scalar);
                    case MULTIPLY -> a.multiply(scalar);
                    case DIVIDE -> a.divide(scalar);
                };
            }
            Symbol b = right.symbol(placeholders);
            return switch (op) {
                case ADD -> a.add(b);
                case SUBTRACT -> a.subtract(b);
                case MULTIPLY -> a.multiply(b);
                case DIVIDE -> a.divide(b);
            };
        }

        @Override
        public Tensor eager(List<Tensor> inputs, List<Tensor> temporaries) {
            Tensor a = left.eager(inputs, temporaries);
            Tensor result;
            if (scalar != null) {
                result = switch (op) {
                    case ADD -> a.add(scalar);
                    case SUBTRACT -> a.subtract(scalar);
                    case MULTIPLY -> a.multiply(scalar);
                    case DIVIDE -> a.divide(scalar);
                };
            } else {
                Tensor b = right.eager(inputs, temporaries);
                result = switch (op) {
                    case ADD -> a.add(b);
                    case SUBTRACT -> a.subtract(b);
                    case MULTIPLY -> a.multiply(b);
                    case DIVIDE -> a.divide(b);
                };
            }
            temporaries.add(result);
            return result;
        }

        @Override
        public int operations() {
            return 1 + left.operations() + (right == null ? 0 : right.operations());
        }
    }

    private Chain randomChain(int depth, int inputs) {
        if (depth == 0 || random.nextInt(4) == 0) {
            return new Leaf(random.nextInt(inputs));
        }
        BinaryOp op = BinaryOp.values()[random.nextInt(4)];
        Chain left = randomChain(depth - 1, inputs);
        if (random.nextInt(3) == 0) {
            double scalar = Math.round(random.nextGaussian() * 1000) / 100.0 + (op == BinaryOp.DIVIDE ? 0.37 : 0);
            return new Op(op, left, null, scalar);
        }
        return new Op(op, left, randomChain(depth - 1, inputs), null);
    }

    private Tensor randomInput(DType dtype) {
        float[] values = new float[N];
        for (int i = 0; i < N; i++) {
            values[i] = (float) (random.nextGaussian() * 3);
        }
        values[0] = 0; // a zero divisor somewhere: infinities and NaN must agree too
        try (Tensor f32 = backend.constant(values, N)) {
            return f32.cast(dtype);
        }
    }

    private static double[] values(HostArray host) {
        return host.convertToDoubleArray();
    }

    private List<DType> floatingDTypes() {
        List<DType> out = new ArrayList<>();
        for (DType dtype : DType.values()) {
            if (dtype.isFloatingPoint() && backend.capabilities().supports(dtype)) {
                out.add(dtype);
            }
        }
        return out;
    }

    @Test
    void randomChainsEqualTheOperationsRunOneAtATimeForEveryFloatingDType() {
        List<DType> dtypes = floatingDTypes();
        assertTrue(dtypes.containsAll(List.of(DType.FLOAT16, DType.BFLOAT16, DType.FLOAT32)), dtypes.toString());
        for (DType dtype : dtypes) {
            for (int trial = 0; trial < 5; trial++) {
                int inputs = 1 + random.nextInt(3);
                Chain chain;
                do {
                    chain = randomChain(4, inputs);
                } while (chain.operations() < 2);
                checkFusedEqualsEager(dtype, chain, inputs, dtype + " trial " + trial);
            }
        }
    }

    private void checkFusedEqualsEager(DType dtype, Chain chain, int inputCount, String what) {
        List<Tensor> inputs = new ArrayList<>();
        List<Tensor> temporaries = new ArrayList<>();
        try (Graph graph = backend.newGraph(); Session session = graph.newSession()) {
            List<Symbol> placeholders = new ArrayList<>();
            Map<Symbol, Object> feeds = new HashMap<>();
            for (int k = 0; k < inputCount; k++) {
                Symbol x = graph.placeholder("x" + k, dtype, N);
                Tensor value = randomInput(dtype);
                placeholders.add(x);
                inputs.add(value);
                feeds.put(x, value);
            }
            Symbol root = chain.symbol(placeholders);
            Tensor eager = chain.eager(inputs, temporaries);
            long launches = backend.kernelLaunches();
            try (HostArray fused = session.run(root, feeds); HostArray expected = eager.toHost()) {
                assertEquals(1, backend.kernelLaunches() - launches, what + ": " + chain.operations()
                        + " operations should run as one kernel");
                assertEquals(dtype, fused.dtype());
                assertArrayEquals(values(expected), values(fused), what + ": fused values differ from the unfused ones "
                        + "for " + chain);
            }
        } finally {
            temporaries.forEach(Tensor::close);
            inputs.forEach(Tensor::close);
        }
    }

    @Test
    void aChainOfThreeOperationsIsOneLaunchAndLaterRunsCompileNothing() {
        try (Graph graph = backend.newGraph(); Session session = graph.newSession();
                Tensor xs = backend.constant(new float[] {1, 2, 3, 4}, 4);
                Tensor ys = backend.constant(new float[] {10, 20, 30, 40}, 4)) {
            Symbol x = graph.placeholder("x", DType.FLOAT32, 4);
            Symbol y = graph.placeholder("y", DType.FLOAT32, 4);
            Symbol chain = x.multiply(2).add(y).divide(x); // (x * 2 + y) / x
            Symbol sameShape = x.multiply(3).add(y).divide(x); // same signature, another scalar value
            long launches = backend.kernelLaunches();
            try (HostArray first = session.run(chain, Map.of(x, xs, y, ys))) {
                assertEquals(1, backend.kernelLaunches() - launches, "three operations, one kernel launch");
                assertArrayEquals(new float[] {12, 12, 12, 12}, first.toFloatArray());
            }
            int compiled = backend.compiledPrograms();
            long fusedCompiled = backend.context().fusedCache().compiled();
            launches = backend.kernelLaunches();
            try (HostArray again = session.run(chain, Map.of(x, xs, y, ys));
                    HostArray other = session.run(sameShape, Map.of(x, xs, y, ys))) {
                assertEquals(2, backend.kernelLaunches() - launches, "one launch per run");
                assertArrayEquals(new float[] {12, 12, 12, 12}, again.toFloatArray());
                assertArrayEquals(new float[] {13, 13, 13, 13}, other.toFloatArray());
            }
            assertEquals(compiled, backend.compiledPrograms(), "a later run compiled a program");
            assertEquals(fusedCompiled, backend.context().fusedCache().compiled(), "a fused kernel was compiled again");
        }
    }

    @Test
    void fusedRunsLeaveNoDeviceBuffersBehind() {
        long live = backend.liveDeviceBuffers();
        try (Graph graph = backend.newGraph(); Session session = graph.newSession()) {
            Symbol x = graph.placeholder("x", DType.FLOAT32, 5);
            Symbol y = x.multiply(x).add(1).subtract(x);
            try (HostArray out = session.run(y, Map.of(x, new float[] {0, 1, 2, 3, 4}))) {
                assertArrayEquals(new float[] {1, 1, 3, 7, 13}, out.toFloatArray());
            }
        }
        assertEquals(live, backend.liveDeviceBuffers(), "a fused run left cl_mem objects alive");
    }

    @Test
    void theCacheOfGeneratedProgramsIsBoundedAndRecompilesWhatItEvicted() {
        ClContext context = backend.context();
        DType dtype = DType.FLOAT32;
        String[] kernels = new String[3];
        for (int k = 0; k < kernels.length; k++) {
            kernels[k] = "__kernel void " + FusedCache.KERNEL + "(__global S* out, const long n) {\n"
                    + "    long i = get_global_id(0);\n    if (i < n) STORE(out, i, (C) " + k + ");\n}\n";
        }
        ProgramSources sources = new ProgramSources(GpuBackend.supportedDTypes(context.device()), context.device().fp64(),
                GpuBackend.tile(context.device()));
        context.locked(() -> {
            FusedCache cache = new FusedCache(context.builder(), 2);
            try {
                for (int k = 0; k < kernels.length; k++) {
                    String kernel = kernels[k];
                    cache.kernel("k" + k, () -> sources.fused(dtype, kernel));
                }
                assertEquals(2, cache.size(), "entries held");
                assertEquals(3, cache.compiled());
                assertEquals(1, cache.evicted(), "the least recently used was evicted and released");
                assertFalse(cache.contains("k0"), "k0 was the least recently used");
                cache.kernel("k1", () -> sources.fused(dtype, kernels[1]));
                assertEquals(3, cache.compiled(), "a cached key compiles nothing");
                cache.kernel("k0", () -> sources.fused(dtype, kernels[0]));
                assertEquals(4, cache.compiled(), "an evicted key compiles again");
                assertFalse(cache.contains("k2"), "k1 was used after k2, so k2 went");
                assertTrue(cache.contains("k1") && cache.contains("k0"));
            } finally {
                cache.close();
            }
            assertEquals(0, cache.size(), "close releases every entry");
        });
        assertEquals(FusedCache.DEFAULT_CAPACITY, context.fusedCache().capacity());
    }

    @Test
    void aChainWithMoreArgumentsThanEveryDeviceAcceptsRunsStepByStep() {
        try (Graph graph = backend.newGraph(); Session session = graph.newSession()) {
            Symbol x = graph.placeholder("x", DType.FLOAT32, 3);
            Symbol y = x;
            for (int k = 0; k < 150; k++) { // 150 scalar arguments: more than FusedKernels.MAX_ARGUMENT_BYTES
                y = y.add(1);
            }
            long launches = backend.kernelLaunches();
            try (HostArray out = session.run(y, Map.of(x, new float[] {0, 1, 2}))) {
                assertArrayEquals(new float[] {150, 151, 152}, out.toFloatArray());
            }
            assertTrue(backend.kernelLaunches() - launches > 1, "too many arguments for one kernel: step by step");
        }
    }

    @Test
    void closingTheBackendReleasesItsFusedPrograms() {
        GpuBackend own = OpenCl.backendOrSkip();
        try (Graph graph = own.newGraph(); Session session = graph.newSession()) {
            Symbol x = graph.placeholder("x", DType.FLOAT32, 3);
            try (HostArray out = session.run(x.add(1).multiply(x), Map.of(x, new float[] {1, 2, 3}))) {
                assertArrayEquals(new float[] {2, 6, 12}, out.toFloatArray());
            }
            assertEquals(1, own.context().fusedCache().size(), "the fused program is cached");
        } finally {
            own.close();
        }
        assertEquals(0, own.context().fusedCache().size(), "fused programs after close");
        assertEquals(0, own.liveDeviceBuffers());
    }

    @Test
    void theGeneratedKernelReadsEachInputOnceAndPassesScalarsAsArguments() {
        // ((x0 * s0) + x1) * x0: x0 is used twice but loaded once; the scalar is an argument, not a literal.
        org.tensorbridge.spi.FusedExpression x0 = new org.tensorbridge.spi.FusedExpression.Input(0);
        org.tensorbridge.spi.FusedExpression x1 = new org.tensorbridge.spi.FusedExpression.Input(1);
        java.nio.ByteBuffer two = java.nio.ByteBuffer.allocate(2).order(java.nio.ByteOrder.nativeOrder())
                .putShort(0, org.tensorbridge.Float16.fromFloat(2.5f));
        var expression = new org.tensorbridge.spi.FusedExpression.Apply(BinaryOp.MULTIPLY,
                new org.tensorbridge.spi.FusedExpression.Apply(BinaryOp.ADD,
                        new org.tensorbridge.spi.FusedExpression.Apply(BinaryOp.MULTIPLY, x0,
                                new org.tensorbridge.spi.FusedExpression.Scalar(two, 2.5)), x1), x0);
        String kernel = FusedSource.kernel(expression, 2, DType.FLOAT16);
        assertEquals(1, kernel.split("\\(x0\\)\\[i\\]", -1).length - 1, kernel);
        assertEquals(1, kernel.split("\\(x1\\)\\[i\\]", -1).length - 1, kernel);
        assertTrue(kernel.contains("const S s0"), kernel);
        assertFalse(kernel.contains("2.5"), kernel);
        assertEquals("FLOAT16/2/M(A(M(x0,s),x1),x0)", FusedSource.key(expression, 2, DType.FLOAT16));
    }
}
