package org.tensorbridge.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;

/**
 * Graphs that are long chains of operations run on a thread with an ordinary stack (1 MiB): a run computes its
 * nodes without recursing once per node, and a fused chain holds a bounded number of levels. A recursive run
 * overflowed the stack at a few thousand integer additions and at under a thousand fusable float operations.
 * Chains whose fusion is declined (each step broadcasts a one-element tensor) are computed step by step.
 */
class CpuDeepGraphTest {
    private static final Backend CPU = Backends.get("cpu");

    @ParameterizedTest(name = "{0}, {1} steps")
    @CsvSource({"int32 add, 20000", "float32 add and multiply, 20000", "float32 add of a broadcast tensor, 5000"})
    void aChainOfThousandsOfOperationsRunsOnAnOrdinaryStack(String chain, int steps) throws Throwable {
        float[] got = onStackOf(1 << 20, () -> {
            try (Graph graph = CPU.newGraph(); Session session = graph.newSession();
                    Tensor half = CPU.constant(new float[] {0.5f}, 1)) {
                boolean integers = chain.startsWith("int32");
                Symbol x = graph.placeholder("x", integers ? DType.INT32 : DType.FLOAT32, 3);
                Symbol broadcastHalf = graph.constant(half);
                Function<Symbol, Symbol> step = switch (chain) {
                    case "int32 add" -> s -> s.add(1);
                    case "float32 add and multiply" -> s -> s.add(0.5f).multiply(1f);
                    default -> s -> s.add(broadcastHalf);
                };
                Symbol y = x;
                for (int i = 0; i < steps; i++) {
                    y = step.apply(y);
                }
                Object feed = integers ? new int[] {0, 1, 2} : new float[] {0, 1, 2};
                try (HostArray result = session.run(integers ? y.cast(DType.FLOAT32) : y, Map.of(x, feed))) {
                    return result.toFloatArray();
                }
            }
        });
        float added = chain.startsWith("int32") ? steps : steps * 0.5f;
        assertArrayEquals(new float[] {added, added + 1, added + 2}, got);
    }

    /** {@code body} run on a new thread with a stack of {@code bytes}; its exception or error rethrown here. */
    private static float[] onStackOf(long bytes, ThrowingSupplier body) throws Throwable {
        AtomicReference<float[]> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                result.set(body.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "deep graph", bytes);
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    private interface ThrowingSupplier {
        float[] get() throws Exception;
    }
}
