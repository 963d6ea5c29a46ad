package org.tensorbridge.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Node;
import org.tensorbridge.Session;
import org.tensorbridge.SparseSymbol;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;

/**
 * The {@link Session} of an {@link RuntimeGraph}. Holds no state between runs, so runs from several
 * threads are independent. Thread-safe.
 */
final class RuntimeSession implements Session {
    private final RuntimeGraph graph;
    private final AtomicBoolean closed = new AtomicBoolean();

    RuntimeSession(RuntimeGraph graph) {
        this.graph = graph;
    }

    @Override
    public Graph graph() {
        return graph;
    }

    private List<Object> execute(List<? extends Node> fetches, Map<? extends Node, ?> feeds) {
        Objects.requireNonNull(fetches, "fetches must not be null");
        return newRun(feeds).fetch(fetches);
    }

    private GraphRun newRun(Map<? extends Node, ?> feeds) {
        if (closed.get()) {
            throw new ClosedResourceException("this session is closed; open a new one with graph.newSession()");
        }
        if (graph.isClosed()) {
            throw graph.closedException();
        }
        return new GraphRun(graph, feeds);
    }

    @Override
    public Tensor runTensor(Symbol fetch, Map<? extends Node, ?> feeds) {
        Objects.requireNonNull(fetch, "fetch must not be null");
        return newRun(feeds).fetchTensor(fetch);
    }

    @Override
    public HostArray run(Symbol fetch, Map<? extends Node, ?> feeds) {
        Objects.requireNonNull(fetch, "fetch must not be null");
        return (HostArray) execute(List.of(fetch), feeds).get(0);
    }

    @Override
    public SparseValue run(SparseSymbol fetch, Map<? extends Node, ?> feeds) {
        Objects.requireNonNull(fetch, "fetch must not be null");
        return (SparseValue) execute(List.of(fetch), feeds).get(0);
    }

    @Override
    public List<Object> run(List<? extends Node> fetches, Map<? extends Node, ?> feeds) {
        return execute(fetches, feeds);
    }

    @Override
    public <K> Map<K, Object> run(Map<K, ? extends Node> fetches, Map<? extends Node, ?> feeds) {
        Objects.requireNonNull(fetches, "fetches must not be null");
        List<K> keys = new ArrayList<>(fetches.keySet());
        List<Node> nodes = new ArrayList<>();
        keys.forEach(k -> nodes.add(fetches.get(k)));
        return GraphRun.byKey(keys, execute(nodes, feeds));
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        closed.set(true);
    }

    @Override
    public String toString() {
        return "Session(" + graph + (isClosed() ? ", closed)" : ")");
    }
}
