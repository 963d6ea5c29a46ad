package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.Symbol;
import org.tensorbridge.spi.BinaryOp;
import org.tensorbridge.spi.Operand;

/** Counts kernel executions: a node shared by several fetches runs once per run, and an unfetched branch never. */
class GraphExecutionCountTest {
    /** The plain-Java backend, counting its elementwise kernel runs. */
    private static final class CountingBackend extends HeapBackend {
        final AtomicInteger elementwise = new AtomicInteger();
        final java.util.List<String> fused = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        protected void fusedElementwise(org.tensorbridge.spi.FusedExpression expression, List<Operand> inputs,
                Operand result) {
            fused.add(expression.signature());
            super.fusedElementwise(expression, inputs, result);
        }

        @Override
        protected void elementwise(BinaryOp op, Operand a, Operand b, Operand result) {
            elementwise.incrementAndGet();
            super.elementwise(op, a, b, result);
        }
    }

    @Test
    void sharedNodesRunOnceAndUnfetchedBranchesNever() {
        CountingBackend backend = new CountingBackend();
        try (Graph graph = backend.newGraph(); Session session = graph.newSession()) {
            Symbol x = graph.placeholder("x", DType.FLOAT32, 3);
            Symbol shared = x.multiply(x);
            Symbol a = shared.add(x);
            Symbol b = shared.subtract(x);
            Symbol unfetched = shared.multiply(shared).multiply(shared);
            assertEquals("multiply", unfetched.name().substring(0, "multiply".length()));
            List<Object> results = session.run(List.of(a, b, a), Map.of(x, new float[] {1, 2, 3}));
            try {
                // shared once, a once (fetched twice), b once: three kernels. The unfetched branch would add two.
                assertEquals(3, backend.elementwise.get(), "elementwise kernels run for fetches [a, b, a]");
                assertArrayEquals(new double[] {2, 6, 12}, ((HostArray) results.get(0)).convertToDoubleArray());
                assertArrayEquals(new double[] {0, 2, 6}, ((HostArray) results.get(1)).convertToDoubleArray());
                assertArrayEquals(new double[] {2, 6, 12}, ((HostArray) results.get(2)).convertToDoubleArray());
            } finally {
                results.forEach(r -> ((HostArray) r).close());
            }
            backend.elementwise.set(0);
            try (HostArray only = session.run(b, Map.of(x, new float[] {1, 2, 3}))) {
                assertEquals(2, backend.elementwise.get(), "a second run computes again, and only what b needs");
            }
        }
        assertEquals(0, backend.ledger().liveBlocks(), "a run leaves no memory behind: " + backend.ledger());
    }

    @Test
    void aChainOfElementwiseOperationsIsHandedOverAsOneFusedExpression() {
        CountingBackend backend = new CountingBackend();
        try (Graph graph = backend.newGraph(); Session session = graph.newSession()) {
            Symbol x = graph.placeholder("x", DType.FLOAT32, 3);
            Symbol scaled = x.multiply(2);
            Symbol y = scaled.add(1).multiply(x);
            try (HostArray result = session.run(y, Map.of(x, new float[] {1, 2, 3}))) {
                assertArrayEquals(new double[] {3, 10, 21}, result.convertToDoubleArray(), "((x * 2) + 1) * x");
            }
            assertEquals(List.of("M(A(M(x0,s),s),x0)"), backend.fused, "one fused expression for the whole chain");
            backend.fused.clear();
            List<Object> both = session.run(List.of(y, scaled), Map.of(x, new float[] {1, 2, 3}));
            try {
                assertEquals(List.of("M(A(x0,s),x1)"), backend.fused,
                        "a fetched intermediate is computed on its own and the rest of the chain reads it");
                assertArrayEquals(new double[] {2, 4, 6}, ((HostArray) both.get(1)).convertToDoubleArray());
            } finally {
                both.forEach(r -> ((HostArray) r).close());
            }
        }
        assertEquals(0, backend.ledger().liveBlocks(), "fusion leaves no memory behind: " + backend.ledger());
    }
}
