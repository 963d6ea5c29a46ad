package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.Symbol;
import org.tensorbridge.backend.reference.ReferenceBackend;
import org.tensorbridge.backend.reference.ReferenceFusion;
import org.tensorbridge.backend.reference.ReferenceKernels;
import org.tensorbridge.graph.FusedExpression;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.Fusion;
import org.tensorbridge.spi.KernelRegistry;
import org.tensorbridge.spi.Operand;

/** Counts kernel executions: a node shared by several fetches runs once per run, and an unfetched branch never. */
class GraphExecutionCountTest {
    /** The plain-Java backend, counting its binary arithmetic kernel runs and the fused expressions it gets. */
    private static final class CountingBackend extends ReferenceBackend {
        final AtomicInteger elementwise;
        final List<String> fused;

        CountingBackend() {
            this(new AtomicInteger(), new CopyOnWriteArrayList<>());
        }

        private CountingBackend(AtomicInteger elementwise, List<String> fused) {
            super(ReferenceBackend.spec("counting").kernels(counting(elementwise)).fusion(new Fusion() {
                private final ReferenceFusion reference = new ReferenceFusion();

                @Override
                public boolean fuses(FusedExpression expression, DType dtype) {
                    return reference.fuses(expression, dtype);
                }

                @Override
                public void run(FusedExpression expression, List<Operand> inputs, Operand result) {
                    fused.add(expression.signature());
                    reference.run(expression, inputs, result);
                }
            }).build());
            this.elementwise = elementwise;
            this.fused = fused;
        }

        private static KernelRegistry counting(AtomicInteger runs) {
            KernelRegistry.Builder kernels = KernelRegistry.builder().include(ReferenceBackend.kernels());
            for (Operation op : List.of(Operations.ADD, Operations.SUBTRACT, Operations.MULTIPLY, Operations.DIVIDE)) {
                kernels.overwrite(op, (call, result) -> {
                    runs.incrementAndGet();
                    ReferenceKernels.elementwise(call, result);
                });
            }
            return kernels.build();
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
            backend.fused.clear();
            try (HostArray only = session.run(b, Map.of(x, new float[] {1, 2, 3}))) {
                // Alone, b is the only user of shared, so the run fuses both into one expression.
                assertEquals(List.of("subtract(multiply(x0,x0),x0)"), backend.fused,
                        "a second run computes again, and only what b needs");
                assertEquals(0, backend.elementwise.get(), "nothing outside b's chain runs");
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
            assertEquals(List.of("multiply(add(multiply(x0,s),s),x0)"), backend.fused, "one fused expression for the whole chain");
            backend.fused.clear();
            List<Object> both = session.run(List.of(y, scaled), Map.of(x, new float[] {1, 2, 3}));
            try {
                assertEquals(List.of("multiply(add(x0,s),x1)"), backend.fused,
                        "a fetched intermediate is computed on its own and the rest of the chain reads it");
                assertArrayEquals(new double[] {2, 4, 6}, ((HostArray) both.get(1)).convertToDoubleArray());
            } finally {
                both.forEach(r -> ((HostArray) r).close());
            }
        }
        assertEquals(0, backend.ledger().liveBlocks(), "fusion leaves no memory behind: " + backend.ledger());
    }
}
