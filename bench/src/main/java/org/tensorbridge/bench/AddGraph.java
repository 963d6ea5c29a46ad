package org.tensorbridge.bench;

import java.util.Map;
import org.tensorbridge.Backend;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.Shape;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;

/**
 * The small graph that P4b and P8c run on a tensorbridge backend: two float32 placeholders of {@code n} elements
 * fed with tensors of that backend made once ({@link #A} and {@link #B} everywhere), one add, one session. Its
 * result is checked once when it is made. {@link #close()} closes everything it made. Used by one JMH state at a
 * time; not thread-safe.
 */
final class AddGraph implements AutoCloseable {
    static final float A = 1.5f;
    static final float B = 2.5f;

    private final Tensor a;
    private final Tensor b;
    private final Graph graph;
    final Session session;
    final Symbol sum;
    final Map<Symbol, Object> feeds;

    AddGraph(Backend backend, int n) {
        a = backend.fill(DType.FLOAT32, Shape.of(n), A);
        b = backend.fill(DType.FLOAT32, Shape.of(n), B);
        graph = backend.newGraph();
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

    @Override
    public void close() {
        session.close();
        graph.close();
        a.close();
        b.close();
    }
}
