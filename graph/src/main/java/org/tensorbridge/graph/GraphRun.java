package org.tensorbridge.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorbridge.Access;
import org.tensorbridge.AnyTensor;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.Node;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.ValueKind;

/**
 * One {@code Session.run}: computes the nodes the fetches need, each once, in dependency order,
 * closes intermediate values as soon as their last consumer has run, and turns the fetches into
 * independent host results. Not thread-safe; one per run.
 */
final class GraphRun {
    private final RuntimeGraph graph;
    private final Backend backend;
    private final GraphSupport support;
    private final Map<GraphNode, Object> feeds = new HashMap<>();
    private final Set<AnyTensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    // By node id, sized when the fetches are known: every node they need was made before them.
    private AnyTensor[] values;
    private int[] consumers;
    private boolean[] fetched;
    /** Roots whose chain was tried and not fused: computed from their inputs. */
    private boolean[] unfused;
    /** Fusions planned for roots whose leaves are being computed. */
    private final Map<GraphNode, ChainFusion> chains = new HashMap<>();

    GraphRun(RuntimeGraph graph, Map<? extends Node, ?> feeds) {
        this.graph = graph;
        this.backend = graph.backend();
        this.support = graph.support();
        if (feeds == null) {
            throw new NullPointerException("feeds must not be null; pass Map.of() for none");
        }
        for (Map.Entry<? extends Node, ?> feed : feeds.entrySet()) {
            GraphNode node = graph.mine(feed.getKey(), "a feed key");
            if (node.kind() != GraphNode.Kind.PLACEHOLDER) {
                throw new IllegalArgumentException("feed key " + node.describe() + " is not a placeholder; only "
                        + "placeholders can be fed");
            }
            this.feeds.put(node, feed.getValue());
        }
    }

    /** Computes {@code fetches} and returns one HostArray or SparseValue per fetch, in order. */
    List<Object> fetch(List<? extends Node> fetches) {
        List<GraphNode> nodes = new ArrayList<>();
        for (int i = 0; i < fetches.size(); i++) {
            nodes.add(graph.mine(fetches.get(i), "fetch " + i));
        }
        prepare(nodes);
        List<Object> results = new ArrayList<>();
        try {
            for (GraphNode node : nodes) {
                evaluate(node);
            }
            for (int i = 0; i < nodes.size(); i++) {
                GraphNode node = nodes.get(i);
                // A node fetched again later is copied now; its last fetch may take the memory over whole.
                boolean fetchedAgain = nodes.subList(i + 1, nodes.size()).contains(node);
                results.add(toHost(node, fetchedAgain));
            }
            return results;
        } catch (RuntimeException | Error e) {
            for (Object result : results) {
                closeQuietly((AutoCloseable) result);
            }
            throw e;
        } finally {
            closeOwned();
        }
    }

    /**
     * Computes one dense fetch and returns it as a tensor of this graph's backend: handed over when
     * the run computed it, copied within the backend when it is a feed or a constant.
     */
    Tensor fetchTensor(Node fetch) {
        GraphNode node = graph.mine(fetch, "fetch");
        prepare(List.of(node));
        try {
            Tensor tensor = (Tensor) evaluate(node);
            if (tensor.backend() == backend && owned.remove(tensor)) {
                return tensor;
            }
            return support.copyWithin(tensor);
        } finally {
            closeOwned();
        }
    }

    /**
     * Marks the fetches and counts how many needed nodes use each needed node, so intermediates can be
     * closed after their last use.
     */
    private void prepare(List<GraphNode> fetches) {
        int size = graph.nodeCount();
        values = new AnyTensor[size];
        consumers = new int[size];
        fetched = new boolean[size];
        unfused = new boolean[size];
        boolean[] seen = new boolean[size];
        ArrayDeque<GraphNode> pending = new ArrayDeque<>(fetches);
        for (GraphNode node : fetches) {
            fetched[node.id()] = true;
        }
        while (!pending.isEmpty()) {
            GraphNode node = pending.pop();
            if (seen[node.id()]) {
                continue;
            }
            seen[node.id()] = true;
            for (GraphNode input : node.inputs()) {
                consumers[input.id()]++;
                pending.push(input);
            }
        }
    }

    /**
     * Computes {@code target} and every node it needs that is not computed yet, dependencies first. Iterative,
     * with an explicit stack: a graph may be a chain of thousands of operations, deeper than a thread's stack.
     */
    AnyTensor evaluate(GraphNode target) {
        ArrayDeque<GraphNode> pending = new ArrayDeque<>();
        pending.push(target);
        while (!pending.isEmpty()) {
            GraphNode node = pending.peek();
            if (values[node.id()] != null) {
                pending.pop();
                continue;
            }
            ChainFusion chain = node.kind() == GraphNode.Kind.OPERATION && node.fusable() && !unfused[node.id()]
                    ? chain(node) : null;
            List<GraphNode> needs = chain != null ? chain.leaves()
                    : node.kind() == GraphNode.Kind.OPERATION ? node.inputs() : List.of();
            boolean ready = true;
            for (GraphNode need : needs) {
                if (values[need.id()] == null) {
                    pending.push(need);
                    ready = false;
                }
            }
            if (!ready) {
                continue;
            }
            AnyTensor value = chain != null ? chain.fuse() : compute(node);
            chains.remove(node);
            if (value == null) {
                unfused[node.id()] = true; // the chain did not fuse: compute the root from its inputs instead
                continue;
            }
            values[node.id()] = value;
            pending.pop();
        }
        return values[target.id()];
    }

    /** The fusion planned for {@code root}, or null when its chain is too short to be worth a fused call. */
    private ChainFusion chain(GraphNode root) {
        ChainFusion chain = chains.computeIfAbsent(root, node -> new ChainFusion(this, node));
        if (!chain.worthFusing()) {
            chains.remove(root);
            unfused[root.id()] = true;
            return null;
        }
        return chain;
    }

    /** A computed node's value. */
    AnyTensor value(GraphNode node) {
        return values[node.id()];
    }

    private AnyTensor compute(GraphNode node) {
        return switch (node.kind()) {
            case PLACEHOLDER -> feed(node);
            case CONSTANT -> graph.constantValue(node);
            case OPERATION -> operate(node);
        };
    }

    private AnyTensor feed(GraphNode node) {
        if (!feeds.containsKey(node)) {
            throw new IllegalArgumentException("placeholder " + node.describe() + " is needed by the fetches but was "
                    + "not fed; pass it in the feeds, for example session.run(fetch, Map.of(" + node.name() + ", value))");
        }
        Object feed = feeds.get(node);
        FeedConverter.Fed fed = node.sparse() ? FeedConverter.sparse(backend, node, feed)
                : FeedConverter.dense(backend, node, feed);
        if (fed.owned()) {
            owned.add(fed.value());
        }
        return fed.value();
    }

    /** {@code node}'s operation on its inputs, all computed. */
    private AnyTensor operate(GraphNode node) {
        AnyTensor[] inputs = new AnyTensor[node.inputs().size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = values[node.inputs().get(i).id()];
        }
        AnyTensor value = node.operation().output() == ValueKind.SPARSE
                ? backend.applySparse(node.operation(), node.attributes(), inputs)
                : backend.apply(node.operation(), node.attributes(), inputs);
        owned.add(value);
        consumed(node.inputs());
        return value;
    }

    /** One use each of {@code inputs} is done: closes those whose last use it was. */
    void consumed(List<GraphNode> inputs) {
        for (GraphNode input : inputs) {
            int left = --consumers[input.id()];
            AnyTensor value = values[input.id()];
            if (left == 0 && !fetched[input.id()] && owned.remove(value)) {
                value.close();
            }
        }
    }

    // ---- what fusion needs to know about the run ----

    Backend backend() {
        return backend;
    }

    GraphSupport support() {
        return support;
    }

    /** True if {@code input} may be computed inside a chain rooted elsewhere: used once, not fetched, not computed. */
    boolean absorbable(GraphNode input) {
        int id = input.id();
        return input.fusable() && consumers[id] == 1 && !fetched[id] && values[id] == null;
    }

    /** Records a value the run computed and owns. */
    void own(AnyTensor value) {
        owned.add(value);
    }

    // ---- results ----

    /** An independent host result; hands owned memory over whole when it can, copies otherwise. */
    private Object toHost(GraphNode node, boolean fetchedAgain) {
        AnyTensor value = values[node.id()];
        boolean mine = !fetchedAgain && value.backend() == backend && owned.remove(value);
        if (value instanceof Tensor tensor) {
            return mine ? support.handOver(tensor) : tensor.toHost(CopyPolicy.ALWAYS, Access.WRITABLE);
        }
        SparseTensor sparse = (SparseTensor) value;
        return mine ? support.handOver(sparse) : sparse.toSparseValue(CopyPolicy.ALWAYS, Access.WRITABLE);
    }

    /** Closes what this run made and did not hand over: intermediates, converted feeds. */
    private void closeOwned() {
        for (AnyTensor value : owned) {
            closeQuietly(value);
        }
        owned.clear();
    }

    private static void closeQuietly(AutoCloseable value) {
        try {
            value.close();
        } catch (Exception ignored) {
            // Tensors, sparse tensors and host results never throw from close().
        }
    }

    /** Keeps the key order of a map of fetches. */
    static <K> Map<K, Object> byKey(List<K> keys, List<Object> results) {
        Map<K, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            out.put(keys.get(i), results.get(i));
        }
        return out;
    }
}
