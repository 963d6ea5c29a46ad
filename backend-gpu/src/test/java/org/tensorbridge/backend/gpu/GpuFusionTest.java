package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.tensorbridge.Float16;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;
import org.tensorbridge.graph.FusedExpression;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;

/**
 * Graph fusion on the device: a chain of elementwise operations, unary ones included, runs as one
 * generated kernel whose bits are those of the operations run one at a time ({@link Bits}: every NaN one
 * value), for every floating dtype the backend declares; kernels are compiled once per signature and
 * dtype (scalars are arguments), and the cache of generated programs is bounded. Skipped without OpenCL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpuFusionTest {
    private static final int N = 3001; // not a multiple of the launch granule
    /** Every operation of the GPU's elementwise table, so a new entry is fused in these tests at once. */
    private static final List<Operation> UNARY = ElementFunctions.all().stream().map(ElementFunctions.Entry::operation)
            .filter(operation -> operation.arity() == 1).toList();
    private static final List<Operation> BINARY = ElementFunctions.all().stream().map(ElementFunctions.Entry::operation)
            .filter(operation -> operation.arity() == 2).toList();
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

    /** {@code operation(operands...)}, or {@code operation(operand, scalar)} when {@code scalar} is set. */
    private record Apply(Operation operation, List<Chain> operands, Double scalar) implements Chain {
        @Override
        public Symbol symbol(List<Symbol> placeholders) {
            Symbol first = operands.get(0).symbol(placeholders);
            if (scalar != null) {
                return first.graph().apply(operation, first, scalar);
            }
            if (operands.size() == 1) {
                return first.apply(operation, Attributes.NONE);
            }
            return first.apply(operation, Attributes.NONE, operands.get(1).symbol(placeholders));
        }

        @Override
        public Tensor eager(List<Tensor> inputs, List<Tensor> temporaries) {
            Tensor first = operands.get(0).eager(inputs, temporaries);
            Tensor result;
            if (scalar != null) {
                result = first.backend().apply(operation, first, scalar);
            } else if (operands.size() == 1) {
                result = first.apply(operation, Attributes.NONE);
            } else {
                result = first.apply(operation, Attributes.NONE, operands.get(1).eager(inputs, temporaries));
            }
            temporaries.add(result);
            return result;
        }

        @Override
        public int operations() {
            return 1 + operands.stream().mapToInt(Chain::operations).sum();
        }

        @Override
        public String toString() {
            return operation + operands.toString() + (scalar != null ? "(scalar " + scalar + ")" : "");
        }
    }

    private Chain randomChain(int depth, int inputs) {
        if (depth == 0 || random.nextInt(4) == 0) {
            return new Leaf(random.nextInt(inputs));
        }
        if (random.nextInt(3) == 0) {
            Operation unary = UNARY.get(random.nextInt(UNARY.size()));
            return new Apply(unary, List.of(randomChain(depth - 1, inputs)), null);
        }
        Operation binary = BINARY.get(random.nextInt(BINARY.size()));
        Chain left = randomChain(depth - 1, inputs);
        if (random.nextInt(3) == 0) {
            double scalar = Math.round(random.nextGaussian() * 1000) / 100.0
                    + (binary == Operations.DIVIDE ? 0.37 : 0);
            return new Apply(binary, List.of(left), scalar);
        }
        return new Apply(binary, List.of(left, randomChain(depth - 1, inputs)), null);
    }

    private Tensor randomInput(DType dtype) {
        float[] values = new float[N];
        for (int i = 0; i < N; i++) {
            values[i] = (float) (random.nextGaussian() * 3);
        }
        values[0] = 0; // zero divisors and logarithms of 0 somewhere: infinities and NaN must agree too
        values[1] = -0f;
        values[2] = Float.NaN;
        values[3] = Float.NEGATIVE_INFINITY;
        try (Tensor f32 = backend.constant(values, N)) {
            return f32.cast(dtype);
        }
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
            for (int trial = 0; trial < 8; trial++) {
                int inputs = 1 + random.nextInt(3);
                Chain chain;
                do {
                    chain = randomChain(4, inputs);
                } while (chain.operations() < 2);
                checkFusedEqualsEager(dtype, chain, inputs, dtype + " trial " + trial);
            }
        }
    }

    @Test
    void chainsOfUnaryOperationsAreFusedToo() {
        Chain x0 = new Leaf(0);
        Chain x1 = new Leaf(1);
        List<Chain> chains = List.of(
                unary(Operations.SQRT, unary(Operations.ABS, unary(Operations.NEG, x0))),
                new Apply(Operations.MULTIPLY, List.of(unary(Operations.TANH, x0), unary(Operations.EXP, x1)), null),
                unary(Operations.LOG, new Apply(Operations.POW, List.of(unary(Operations.ABS, x0)), 2.5)),
                new Apply(Operations.MAXIMUM, List.of(unary(Operations.NEG, x1), x0), null),
                unary(Operations.NEG, new Apply(Operations.MINIMUM, List.of(x0, unary(Operations.TANH, x1)), null)));
        for (DType dtype : floatingDTypes()) {
            for (Chain chain : chains) {
                checkFusedEqualsEager(dtype, chain, 2, dtype.displayName() + " " + chain);
            }
        }
    }

    @Test
    void theSixOperationChainOfTheBenchmarkIsOneLaunchWithTheEagerBits() {
        // tanh((a + b) * c - exp(a)) / 2, written as P5GpuFusedGraph writes it: the public Symbol and Tensor calls
        for (DType dtype : floatingDTypes()) {
            try (Graph graph = backend.newGraph(); Session session = graph.newSession();
                    Tensor a = randomInput(dtype); Tensor b = randomInput(dtype); Tensor c = randomInput(dtype);
                    Tensor sum = a.add(b); Tensor product = sum.multiply(c); Tensor exp = a.exp();
                    Tensor difference = product.subtract(exp); Tensor tanh = difference.tanh();
                    Tensor eager = tanh.divide(2)) {
                Symbol x = graph.placeholder("a", dtype, N);
                Symbol y = graph.placeholder("b", dtype, N);
                Symbol z = graph.placeholder("c", dtype, N);
                Symbol chain = x.add(y).multiply(z).subtract(x.exp()).tanh().divide(2);
                long launches = backend.kernelLaunches();
                try (Tensor fused = session.runTensor(chain, Map.of(x, a, y, b, z, c))) {
                    assertEquals(1, backend.kernelLaunches() - launches, dtype + ": six operations, one kernel launch");
                    try (HostArray got = fused.toHost(); HostArray expected = eager.toHost()) {
                        assertArrayEquals(Bits.of(expected), Bits.of(got), dtype + ": fused bits differ from eager ones");
                    }
                }
            }
        }
    }

    private static Chain unary(Operation operation, Chain operand) {
        return new Apply(operation, List.of(operand), null);
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
                assertArrayEquals(Bits.of(expected), Bits.of(fused), what + ": fused bits differ from the unfused ones "
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
            Symbol y = x.multiply(x).add(1).subtract(x).abs();
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
        ProgramSources sources = context.sources();
        context.run(q -> {
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
            for (int k = 0; k < 150; k++) { // 150 scalar arguments: more than GpuFusion.MAX_ARGUMENT_BYTES
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
    void theGeneratedKernelReadsEachInputOnceCallsTheElementFunctionsAndPassesScalarsAsArguments() {
        // neg(((x0 * s0) + x1) * x0): x0 is used twice but loaded once; the scalar is an argument, not a literal.
        FusedExpression x0 = new FusedExpression.Input(0);
        FusedExpression x1 = new FusedExpression.Input(1);
        ByteBuffer two = ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort(0, Float16.fromFloat(2.5f));
        FusedExpression expression = apply(Operations.NEG, apply(Operations.MULTIPLY,
                apply(Operations.ADD, apply(Operations.MULTIPLY, x0, new FusedExpression.Scalar(two, 2.5)), x1), x0));
        String kernel = FusedSource.kernel(expression, 2, DType.FLOAT16);
        assertEquals(1, kernel.split("\\(x0\\)\\[i\\]", -1).length - 1, kernel);
        assertEquals(1, kernel.split("\\(x1\\)\\[i\\]", -1).length - 1, kernel);
        assertTrue(kernel.contains("const S s0"), kernel);
        assertTrue(kernel.contains("op_neg(") && kernel.contains("op_multiply(") && kernel.contains("op_add("), kernel);
        assertFalse(kernel.contains("2.5"), kernel);
        assertEquals("FLOAT16/2/neg(multiply(add(multiply(x0,s),x1),x0))", FusedSource.key(expression, 2,
                DType.FLOAT16));
        assertTrue(new GpuFusion(backend.context(), backend.capabilities().supportedDTypes())
                .fuses(expression, DType.FLOAT16));
        assertFalse(new GpuFusion(backend.context(), backend.capabilities().supportedDTypes())
                .fuses(expression, DType.INT32), "integer chains are not fused");
    }

    private static FusedExpression apply(Operation operation, FusedExpression... operands) {
        return new FusedExpression.Apply(operation, List.of(operands));
    }
}
