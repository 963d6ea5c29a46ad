package org.tensorbridge.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.Sharing;
import org.tensorbridge.SparseSymbol;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;
import org.tensorbridge.UndefinedResultException;
import org.tensorbridge.op.Operations;

/**
 * A tensorbridge graph on this backend becomes a TensorFlow graph, and {@code Session.run} is TensorFlow's
 * session run: the TensorFlow operations are listed, and no eager kernel runs.
 */
class TensorflowGraphTest {
    private static final TensorflowBackend BACKEND = TensorflowBackend.create();

    @AfterAll
    static void noMemoryLeftOpen() {
        assertEquals(0, BACKEND.ledger().liveBlocks(), "results, feeds and constants are all released");
    }

    @Test
    void everyFedTensorIsDeletedAndLetGoOfByTensorflow() {
        long before = Tf.lentHeld();
        try (Graph graph = BACKEND.newGraph(); Session session = graph.newSession();
                Tensor a = BACKEND.constantOf(new float[] {1, 2}); Tensor b = BACKEND.constantOf(new float[] {3, 4})) {
            Symbol x = graph.placeholder("x", DType.FLOAT32, 2);
            Symbol y = graph.placeholder("y", DType.FLOAT32, 2);
            Symbol sum = x.add(y);
            for (int i = 0; i < 3; i++) {
                try (HostArray result = session.run(sum, Map.of(x, a, y, b));
                        HostArray fed = session.run(x, Map.of(x, a))) {
                    assertArrayEquals(new float[] {4, 6}, result.toFloatArray());
                    assertArrayEquals(new float[] {1, 2}, fed.toFloatArray(), "a fetched feed is copied out of it");
                }
            }
            assertThrows(IllegalArgumentException.class, () -> session.run(sum, Map.of(x, a, y, "not a tensor")));
        }
        assertEquals(before, Tf.lentHeld(), "TensorFlow let go of every tensor it was lent for a feed");
    }

    @Test
    void aGraphBecomesTheTensorflowGraphThatRunsIt() {
        try (Graph graph = BACKEND.newGraph(); Session session = graph.newSession()) {
            Symbol x = graph.placeholder("x", DType.FLOAT32, -1);
            Symbol y = graph.placeholder("y", DType.FLOAT32, -1);
            Symbol z = x.add(y).multiply(2).maximum(y);
            assertEquals(List.of("Placeholder", "Identity", "Placeholder", "Identity", "AddV2", "Const", "Mul"),
                    ((TfGraph) graph).operationTypes().subList(0, 7), "placeholders, add, the scalar 2 and multiply");
            assertTrue(((TfGraph) graph).operationTypes().containsAll(List.of("Bitcast", "BitwiseXor", "Maximum",
                    "IsNan", "Select")), "maximum as TensorFlow operations on the bits: "
                    + ((TfGraph) graph).operationTypes());
            long eagerAdds = BACKEND.statistics().calls(Operations.ADD);
            try (HostArray result = session.run(z, Map.of(x, new float[] {1, 2, -9}, y, new float[] {3, 4, 5}))) {
                assertArrayEquals(new float[] {8, 12, 5}, result.toFloatArray());
                assertEquals(Sharing.INDEPENDENT, result.sharing());
                assertFalse(result.isReadOnly());
                assertEquals(0, result.bytesCopied(), "TensorFlow's output, which nothing else refers to, is handed over");
                result.asByteBuffer().putFloat(0, -1f);
            }
            try (HostArray again = session.run(z, Map.of(x, new float[] {1, 2, -9}, y, new float[] {3, 4, 5}))) {
                assertArrayEquals(new float[] {8, 12, 5}, again.toFloatArray(), "a write to a handed-over result "
                        + "reached nothing else");
            }
            assertEquals(eagerAdds, BACKEND.statistics().calls(Operations.ADD),
                    "the run is TensorFlow's: no eager kernel ran");
        }
    }

    @Test
    void aFetchThatIsAFeedsBufferIsCopied() {
        try (Graph graph = BACKEND.newGraph(); Session session = graph.newSession();
                Tensor fed = BACKEND.constant(new float[] {1, 2, 3}, 3)) {
            Symbol x = graph.placeholder("x", DType.FLOAT32, 3);
            try (HostArray echo = session.run(x, Map.of(x, fed))) {
                assertEquals(Sharing.INDEPENDENT, echo.sharing());
                assertEquals(echo.byteSize(), echo.bytesCopied(), "TensorFlow's output is the feed's buffer: copied");
                echo.asByteBuffer().putFloat(0, 42f);
            }
            try (HostArray values = fed.toHost()) {
                assertArrayEquals(new float[] {1, 2, 3}, values.toFloatArray(), "the feed is untouched");
            }
        }
    }

    @Test
    void sparseNodesAreTensorflowSparseOperations() {
        try (Graph graph = BACKEND.newGraph(); Session session = graph.newSession();
                SparseTensor s = BACKEND.sparseCoo(new long[][] {{1, 0}, {0, 1}, {1, 0}}, new float[] {1, 2, 3}, 2, 2)) {
            SparseSymbol p = graph.sparsePlaceholder("s", DType.FLOAT32, 2, 2);
            SparseSymbol c = p.coalesce();
            Symbol dense = c.toDense(4);
            assertTrue(((TfGraph) graph).operationTypes().containsAll(List.of("SparseReduceSumSparse", "ScatterNd")));
            List<Object> results = session.run(List.of(c, dense), Map.of(p, s));
            try (SparseValue coalesced = (SparseValue) results.get(0); HostArray d = (HostArray) results.get(1)) {
                assertArrayEquals(new long[] {0, 1, 1, 0}, coalesced.indices().toLongArray());
                assertArrayEquals(new float[] {2, 4}, coalesced.values().toFloatArray());
                assertTrue(coalesced.isCanonical());
                assertArrayEquals(new float[] {0, 2, 4, 0}, d.toFloatArray());
            }
        }
    }

    @Test
    void integerDivisionByZeroInAGraphIsRefusedNamingTheNode() {
        try (Graph graph = BACKEND.newGraph(); Session session = graph.newSession()) {
            Symbol a = graph.placeholder("a", DType.INT32, 2);
            Symbol b = graph.placeholder("b", DType.INT32, 2);
            Symbol q = a.divide(b);
            UndefinedResultException e = assertThrows(UndefinedResultException.class,
                    () -> session.run(q, Map.of(a, new int[] {1, 2}, b, new int[] {1, 0})).close());
            assertTrue(e.getMessage().contains(q.name()) && e.getMessage().contains("division by zero"), e.getMessage());
            try (HostArray ok = session.run(q, Map.of(a, new int[] {-7, 7}, b, new int[] {2, -2}))) {
                assertArrayEquals(new int[] {-3, -3}, ok.toIntArray(), "integer division truncates toward zero");
            }
        }
    }

    @Test
    void runTensorKeepsAComputedResultAndCopiesAFeed() {
        try (Graph graph = BACKEND.newGraph(); Session session = graph.newSession();
                Tensor fed = BACKEND.constant(new float[] {1, 2}, 2)) {
            Symbol x = graph.placeholder("x", DType.FLOAT32, 2);
            try (Tensor doubled = session.runTensor(x.multiply(2), Map.of(x, fed));
                    Tensor same = session.runTensor(x, Map.of(x, fed));
                    HostArray view = same.toHost(org.tensorbridge.CopyPolicy.NEVER, org.tensorbridge.Access.WRITABLE)) {
                assertInstanceOf(Tensor.class, doubled);
                view.setFloat(-1, 0);
                try (HostArray d = doubled.toHost(); HostArray f = fed.toHost()) {
                    assertArrayEquals(new float[] {2, 4}, d.toFloatArray());
                    assertArrayEquals(new float[] {1, 2}, f.toFloatArray(), "a fetched feed is a copy, not the feed");
                }
            }
        }
    }
}
