package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.NoDefaultSessionException;
import org.tensorbridge.Session;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.Sharing;
import org.tensorbridge.SparseSymbol;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;

/** Rules 11.x: graphs, sessions and default sessions. */
public interface GraphRules extends KitContext {

    /** One step of a random program, run both eagerly and as a graph node. */
    private static int pick(Random random, int bound) {
        return random.nextInt(bound);
    }

    @Test
    @ConformanceRule("11.1")
    default void eagerAndGraphAgree() {
        Random random = fixtures().random("11.1");
        for (int program = 0; program < 20; program++) {
            Shape shape = Shape.of(1 + pick(random, 3), 1 + pick(random, 4));
            int n = (int) shape.elementCount();
            double[] xValues = fixtures().randomValues(random, DType.FLOAT32, n, true);
            double[] yValues = fixtures().randomValues(random, DType.FLOAT32, n, true);
            List<Tensor> eager = new ArrayList<>();
            StringBuilder steps = new StringBuilder();
            try (Graph graph = backend().newGraph(); Session session = graph.newSession();
                    Tensor x = fixtures().tensor(DType.FLOAT32, shape, xValues);
                    Tensor y = fixtures().tensor(DType.FLOAT32, shape, yValues)) {
                Symbol px = graph.placeholder("x", DType.FLOAT32, -1, shape.dim(1));
                Symbol cy = graph.constant(y);
                Tensor value = x;
                Symbol symbol = px;
                for (int step = 0; step < 6; step++) {
                    int op = pick(random, 6);
                    double scalar = 1 + pick(random, 4);
                    Tensor next = switch (op) {
                        case 0 -> value.add(y);
                        case 1 -> value.subtract(y);
                        case 2 -> value.multiply(y);
                        case 3 -> value.divide(y);
                        case 4 -> value.multiply(scalar);
                        default -> value.add(scalar);
                    };
                    symbol = switch (op) {
                        case 0 -> symbol.add(cy);
                        case 1 -> symbol.subtract(cy);
                        case 2 -> symbol.multiply(cy);
                        case 3 -> symbol.divide(cy);
                        case 4 -> symbol.multiply(scalar);
                        default -> symbol.add(scalar);
                    };
                    steps.append(List.of("add y", "subtract y", "multiply y", "divide y", "multiply", "add").get(op))
                            .append(op >= 4 ? " " + scalar : "").append("; ");
                    eager.add(next);
                    value = next;
                }
                double[] expected = fixtures().values(value);
                try (HostArray result = session.run(symbol, Map.of(px, x))) {
                    assertArrayEquals(expected, result.convertToDoubleArray(), 1e-6 * 64,
                            "program " + program + " (" + steps + "seed " + fixtures().seed() + ")");
                }
            } finally {
                eager.forEach(Tensor::close);
            }
        }
    }

    @Test
    @ConformanceRule("11.2")
    default void runKeepsTheStructureOfItsFetches() {
        try (Graph graph = backend().newGraph(); Session session = graph.newSession();
                Tensor a = fixtures().floats(1, 2, 3);
                SparseTensor s = backend().sparseCoo(new long[][] {{0, 1}}, new float[] {5}, 2, 2)) {
            Symbol x = graph.constant(a);
            Symbol doubled = x.multiply(2);
            SparseSymbol sparse = graph.sparsePlaceholder("s", DType.FLOAT32, 2, 2);
            List<Object> list = session.run(List.of(doubled, sparse, x), Map.of(sparse, s));
            try {
                assertEquals(3, list.size(), "one result per fetch");
                assertInstanceOf(HostArray.class, list.get(0), "a dense fetch");
                assertInstanceOf(SparseValue.class, list.get(1), "a sparse fetch");
                assertArrayEquals(new double[] {2, 4, 6}, ((HostArray) list.get(0)).convertToDoubleArray(), "list[0]");
                assertArrayEquals(new double[] {1, 2, 3}, ((HostArray) list.get(2)).convertToDoubleArray(), "list[2]");
                assertArrayEquals(new long[] {0, 1}, ((SparseValue) list.get(1)).indices().toLongArray(), "list[1]");
            } finally {
                closeAll(list);
            }
            Map<String, Symbol> named = new LinkedHashMap<>();
            named.put("second", doubled);
            named.put("first", x);
            Map<String, Object> map = session.run(named, Map.of());
            try {
                assertEquals(List.of("second", "first"), new ArrayList<>(map.keySet()), "keys of a map fetch");
                assertArrayEquals(new double[] {2, 4, 6}, ((HostArray) map.get("second")).convertToDoubleArray());
            } finally {
                closeAll(map.values());
            }
            try (SparseValue value = session.run(sparse.multiply(3), Map.of(sparse, s))) {
                assertArrayEquals(new double[] {15}, value.values().convertToDoubleArray(), "a single sparse fetch");
            }
        }
    }

    private static void closeAll(Iterable<Object> results) {
        for (Object result : results) {
            try {
                ((AutoCloseable) result).close();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    @ConformanceRule("11.3")
    default void resultsAreIndependent() {
        try (Graph graph = backend().newGraph(); Session session = graph.newSession();
                Tensor a = fixtures().floats(1, 2, 3);
                HostArray fed = a.toHost(org.tensorbridge.CopyPolicy.ALWAYS)) {
            Symbol constant = graph.constant(a);
            Symbol input = graph.placeholder("input", DType.FLOAT32, 3);
            Symbol sum = constant.add(input);
            List<Object> results = session.run(List.of(constant, input, sum, sum), Map.of(input, fed));
            try {
                for (int i = 0; i < results.size(); i++) {
                    HostArray result = (HostArray) results.get(i);
                    assertEquals(Sharing.INDEPENDENT, result.sharing(), "result " + i + " sharing");
                    assertFalse(result.isReadOnly(), "result " + i + " must be writable");
                    assertTrue(result.bytesCopied() == 0 || result.bytesCopied() == result.byteSize(),
                            "result " + i + " bytesCopied " + result.bytesCopied());
                    if (i < 3) {
                        result.setFloat(-1f, 0);
                    }
                }
                assertEquals(3 * Float.BYTES, ((HostArray) results.get(0)).bytesCopied(),
                        "a constant's result must be a copy: the graph still holds the constant");
                assertEquals(-1.0, ((HostArray) results.get(2)).getAsDouble(0), "the write to result 2");
                assertEquals(2.0, ((HostArray) results.get(3)).getAsDouble(0),
                        "a node fetched twice must give two independent results: a write to one showed in the other");
            } finally {
                closeAll(results);
            }
            assertArrayEquals(new double[] {1, 2, 3}, fixtures().values(a), "writing to results changed the constant");
            assertArrayEquals(new double[] {1, 2, 3}, fed.convertToDoubleArray(), "writing to results changed the feed");
            try (HostArray again = session.run(sum, Map.of(input, fed))) {
                assertArrayEquals(new double[] {2, 4, 6}, again.convertToDoubleArray(), "a later run");
            }
        }
    }

    @Test
    @ConformanceRule("11.4")
    default void onlyNeededNodesAreComputed() {
        try (Graph graph = backend().newGraph(); Session session = graph.newSession(); Tensor a = fixtures().floats(1, 2)) {
            Symbol used = graph.constant(a).add(1);
            Symbol unfed = graph.placeholder("never_fed", DType.FLOAT32, 2);
            Symbol unused = unfed.multiply(used);
            try (HostArray result = session.run(used)) {
                assertArrayEquals(new double[] {2, 3}, result.convertToDoubleArray(),
                        "a fetch that does not need the unfed placeholder");
            }
            assertThrows(IllegalArgumentException.class, () -> session.run(unused).close(),
                    "fetching the branch that needs it must ask for the feed");
        }
    }

    @Test
    @ConformanceRule("11.5")
    default void defaultSessionsArePerThreadAndNest() throws InterruptedException {
        try (Graph graph = backend().newGraph(); Session outer = graph.newSession(); Session inner = graph.newSession();
                Tensor a = fixtures().floats(4)) {
            Symbol x = graph.constant(a).multiply(2);
            NoDefaultSessionException none = assertThrows(NoDefaultSessionException.class, () -> x.eval().close());
            assertTrue(none.getMessage().contains("eval(session)") && none.getMessage().contains("asDefault"),
                    "the message must name the fixes: " + none.getMessage());
            try (Session.Scope one = outer.asDefault()) {
                try (HostArray r = x.eval()) {
                    assertEquals(8.0, r.getAsDouble(0), "eval() in a default scope");
                }
                Symbol p = graph.placeholder("p", DType.FLOAT32, 1);
                try (HostArray r = p.add(x).eval(Map.of(p, new float[] {1}))) {
                    assertEquals(9.0, r.getAsDouble(0), "eval(feeds) in a default scope");
                }
                try (Session.Scope two = inner.asDefault()) {
                    assertSame(inner, two.session(), "the inner scope's session");
                    CountDownLatch done = new CountDownLatch(1);
                    ConcurrentLinkedQueue<Throwable> seen = new ConcurrentLinkedQueue<>();
                    Thread other = new Thread(() -> {
                        try {
                            x.eval().close();
                            seen.add(new AssertionError("another thread saw this thread's default session"));
                        } catch (NoDefaultSessionException expected) {
                            // The default does not cross threads.
                        } catch (Throwable t) {
                            seen.add(t);
                        } finally {
                            done.countDown();
                        }
                    });
                    other.start();
                    assertTrue(done.await(10, TimeUnit.SECONDS), "the other thread did not finish");
                    assertTrue(seen.isEmpty(), () -> String.valueOf(seen.peek()));
                }
                inner.close();
                try (HostArray r = x.eval()) {
                    assertEquals(8.0, r.getAsDouble(0), "after the inner scope closed, the outer default is back");
                }
            }
            assertThrows(NoDefaultSessionException.class, () -> x.eval().close(), "after every scope closed");
        }
    }

    @Test
    @ConformanceRule("11.6")
    default void runTimeMistakesNameTheFix() {
        try (Graph graph = backend().newGraph(); Graph other = backend().newGraph(); Session session = graph.newSession();
                Tensor a = fixtures().floats(1, 2, 3)) {
            Symbol x = graph.placeholder("x", DType.FLOAT32, -1, 3);
            Symbol y = x.add(1);
            Symbol foreign = other.scalar(DType.FLOAT32, 1);
            check(IllegalArgumentException.class, () -> session.run(y).close(), "a missing feed", "'x'", "feeds");
            check(DTypeMismatchException.class, () -> session.run(y, Map.of(x, new int[][] {{1, 2, 3}})).close(),
                    "an int32 feed for float32", "'x'", "float32");
            check(ShapeMismatchException.class, () -> session.run(y, Map.of(x, new float[][] {{1, 2}})).close(),
                    "a [1, 2] feed for [?, 3]", "'x'", "[1, 2]");
            check(IllegalArgumentException.class, () -> session.run(y, Map.of(x, "text")).close(), "a String feed",
                    "'x'", "HostArray");
            check(IllegalArgumentException.class, () -> session.run(foreign).close(), "a fetch of another graph",
                    "another graph");
            check(IllegalArgumentException.class, () -> session.run(y, Map.of(y, a)).close(), "feeding an operation",
                    "placeholder");
            try (Session.Scope scope = other.newSession().asDefault()) {
                check(IllegalArgumentException.class, () -> y.eval().close(), "eval with a session of another graph",
                        "another graph");
                scope.session().close();
            }
            Session closed = graph.newSession();
            closed.close();
            check(ClosedResourceException.class, () -> closed.run(y, Map.of(x, a)).close(), "a closed session",
                    "newSession");
        }
        Graph graph = backend().newGraph();
        Session session = graph.newSession();
        Symbol s = graph.scalar(DType.FLOAT32, 2);
        graph.close();
        check(ClosedResourceException.class, () -> session.run(s).close(), "a closed graph", "newGraph");
        check(ClosedResourceException.class, () -> graph.scalar(DType.FLOAT32, 1), "adding to a closed graph", "closed");
    }

    private static void check(Class<? extends Throwable> type, Executable call, String what, String... named) {
        Throwable thrown = assertThrows(type, call, what);
        for (String name : named) {
            assertTrue(String.valueOf(thrown.getMessage()).contains(name),
                    what + ": the message does not name '" + name + "': " + thrown.getMessage());
        }
    }

    @Test
    @ConformanceRule("11.7")
    default void sessionsRunFromSeveralThreads() throws InterruptedException {
        try (Graph graph = backend().newGraph(); Session session = graph.newSession(); Tensor w = fixtures().floats(2, 3)) {
            Symbol x = graph.placeholder("x", DType.FLOAT32, 2);
            Symbol y = x.multiply(graph.constant(w)).add(1);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t;
                threads.add(new Thread(() -> {
                    try {
                        for (int i = 0; i < 200; i++) {
                            float v = base * 1000 + i;
                            try (HostArray r = session.run(y, Map.of(x, new float[] {v, -v}))) {
                                double[] got = r.convertToDoubleArray();
                                if (got[0] != 2 * v + 1 || got[1] != -3 * v + 1) {
                                    failures.add(new AssertionError("thread " + base + " run " + i + " got "
                                            + java.util.Arrays.toString(got)));
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertTrue(failures.isEmpty(), () -> "concurrent runs failed: " + failures.peek());
        }
    }

    @Test
    @ConformanceRule("11.8")
    default void buildTimeMistakesAreRefused() {
        try (Graph graph = backend().newGraph(); Graph other = backend().newGraph()) {
            Symbol f = graph.placeholder("f", DType.FLOAT32, 2, 3);
            Symbol g = graph.placeholder("g", DType.FLOAT32, 4);
            check(ShapeMismatchException.class, () -> f.add(g), "[2, 3] + [4]", "[2, 3]", "[4]");
            check(ShapeMismatchException.class, () -> f.matmul(f), "[2, 3] x [2, 3]", "matmul");
            check(ShapeMismatchException.class, () -> f.reshape(4, 2), "reshape 6 to [4, 2]", "[4, 2]");
            if (declared().supports(DType.INT32)) {
                Symbol i = graph.placeholder("i", DType.INT32, 2, 3);
                check(DTypeMismatchException.class, () -> f.add(i), "float32 + int32", "cast");
                check(DTypeMismatchException.class, () -> i.add(0.5), "int32 + 0.5", "scalar");
            }
            check(IllegalArgumentException.class, () -> f.add(other.placeholder("h", DType.FLOAT32, 2, 3)),
                    "nodes of two graphs", "another graph");
            check(IllegalArgumentException.class, () -> graph.placeholder("f", DType.FLOAT32, 1), "a reused name",
                    "'f'");
        }
    }

    @Test
    @ConformanceRule("11.9")
    default void runTensorKeepsTheFetchInTheBackend() {
        Tensor result;
        try (Graph graph = backend().newGraph(); Session session = graph.newSession();
                Tensor a = fixtures().floats(1, 2, 3); Tensor fed = fixtures().floats(10, 20, 30)) {
            Symbol constant = graph.constant(a);
            Symbol input = graph.placeholder("input", DType.FLOAT32, 3);
            Symbol chain = constant.add(input).multiply(2).subtract(input);
            try (HostArray expected = session.run(chain, Map.of(input, fed))) {
                result = session.runTensor(chain, Map.of(input, fed));
                assertEquals(backend().device(), result.device(), "runTensor must leave the result on the backend's device");
                try (Tensor further = result.multiply(2)) {
                    assertArrayEquals(new double[] {24, 48, 72}, fixtures().values(further),
                            "a runTensor result used in an eager operation");
                }
                assertEquals(DType.FLOAT32, result.dtype());
                assertEquals(Shape.of(3), result.shape());
                assertArrayEquals(expected.convertToDoubleArray(), fixtures().values(result),
                        "runTensor and run of the same fetch differ");
            }
            for (Symbol aliasable : List.of(constant, input)) {
                Tensor copy = session.runTensor(aliasable, Map.of(input, fed));
                assertFalse(copy == a || copy == fed, "runTensor returned the constant or feed itself");
                try (HostArray view = copy.toHost(org.tensorbridge.CopyPolicy.IF_NEEDED,
                        org.tensorbridge.Access.WRITABLE)) {
                    view.setFloat(-7f, 0);
                }
                copy.close();
            }
            assertFalse(a.isClosed() || fed.isClosed(), "closing a runTensor result closed a constant or feed");
            assertArrayEquals(new double[] {1, 2, 3}, fixtures().values(a), "writing a result changed the constant");
            assertArrayEquals(new double[] {10, 20, 30}, fixtures().values(fed), "writing a result changed the feed");
            try (HostArray again = session.run(constant)) {
                assertArrayEquals(new double[] {1, 2, 3}, again.convertToDoubleArray(),
                        "the graph's constant changed after its runTensor result was written and closed");
            }
        }
        try {
            assertFalse(result.isClosed(), "a runTensor result belongs to the caller; closing the session closed it");
            assertArrayEquals(new double[] {12, 24, 36}, fixtures().values(result),
                    "a runTensor result changed when the graph and session closed");
        } finally {
            result.close();
        }
    }
}
