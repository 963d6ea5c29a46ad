package org.tensorbridge.spi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.Node;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;

/**
 * One {@code Session.run}: computes the nodes the fetches need, each once, in dependency order,
 * closes intermediate values as soon as their last consumer has run, and turns the fetches into
 * independent host results. Not thread-safe; one per run.
 */
final class GraphRun {
    private final SpiGraph graph;
    private final AbstractBackend backend;
    private final Map<GraphNode, Object> feeds = new HashMap<>();
    private final Map<GraphNode, Object> values = new HashMap<>();
    private final Set<Object> owned = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<GraphNode, Integer> consumers = new HashMap<>();
    private final Set<GraphNode> fetched = new java.util.HashSet<>();
    private int computed;

    GraphRun(SpiGraph graph, Map<? extends Node, ?> feeds) {
        this.graph = graph;
        this.backend = graph.owner();
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

    /** Number of operation nodes computed by this run: what the tests count. */
    int computed() {
        return computed;
    }

    /** Computes {@code fetches} and returns one HostArray or SparseValue per fetch, in order. */
    List<Object> fetch(List<? extends Node> fetches) {
        List<GraphNode> nodes = new ArrayList<>();
        for (int i = 0; i < fetches.size(); i++) {
            nodes.add(graph.mine(fetches.get(i), "fetch " + i));
        }
        fetched.addAll(nodes);
        countConsumers(nodes);
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
                closeQuietly(result);
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
        fetched.add(node);
        countConsumers(List.of(node));
        try {
            Object value = evaluate(node);
            Tensor tensor = (Tensor) value;
            if (tensor.backend() == backend && owned.remove(value)) {
                return tensor;
            }
            return backend.cast(tensor, tensor.dtype());
        } finally {
            closeOwned();
        }
    }

    /** How many needed nodes use each needed node, so intermediates can be closed after their last use. */
    private void countConsumers(List<GraphNode> fetches) {
        Set<GraphNode> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<GraphNode> pending = new java.util.ArrayDeque<>(fetches);
        while (!pending.isEmpty()) {
            GraphNode node = pending.pop();
            if (!seen.add(node)) {
                continue;
            }
            for (Node input : node.inputs()) {
                GraphNode in = graph.mine(input, "input");
                consumers.merge(in, 1, Integer::sum);
                pending.push(in);
            }
        }
    }

    private Object evaluate(GraphNode node) {
        Object known = values.get(node);
        if (known != null) {
            return known;
        }
        Object value = switch (node.kind()) {
            case PLACEHOLDER -> feed(node);
            case CONSTANT -> graph.constantValue(node);
            case OPERATION -> operate(node);
        };
        values.put(node, value);
        return value;
    }

    private Object feed(GraphNode node) {
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

    private Object operate(GraphNode node) {
        if (fusable(node)) {
            Object fused = fuse(node);
            if (fused != null) {
                return fused;
            }
        }
        List<Object> inputs = new ArrayList<>();
        for (Node input : node.inputs()) {
            inputs.add(evaluate(graph.mine(input, "input")));
        }
        Object value = node.evaluator().evaluate(inputs);
        owned.add(value);
        computed++;
        for (Node input : node.inputs()) {
            GraphNode in = graph.mine(input, "input");
            int left = consumers.merge(in, -1, Integer::sum);
            Object inputValue = values.get(in);
            if (left == 0 && !fetched.contains(in) && owned.remove(inputValue)) {
                closeQuietly(inputValue);
            }
        }
        return value;
    }

    // ---- fusion of elementwise chains ----

    private static boolean fusable(GraphNode node) {
        return node.elementwise() != null && node.dtype().isFloatingPoint();
    }

    /** An elementwise input that only this chain uses in this run, not yet computed and not fetched. */
    private boolean absorbable(GraphNode input, GraphNode root) {
        return fusable(input) && input.dtype() == root.dtype() && consumers.getOrDefault(input, 0) == 1
                && !fetched.contains(input) && !values.containsKey(input);
    }

    /**
     * Computes {@code root} and the elementwise nodes only it uses as one fused expression, when the
     * chain has at least two operations and every leaf has the result's shape; null otherwise (the
     * leaves it evaluated stay computed for the ordinary path).
     */
    private Object fuse(GraphNode root) {
        List<GraphNode> leaves = new ArrayList<>();
        List<GraphNode> leafUses = new ArrayList<>();
        FusedExpression expression = expression(root, root, leaves, leafUses);
        if (expression.operations() < 2) {
            return null;
        }
        List<BackendTensor> tensors = new ArrayList<>();
        for (GraphNode leaf : leaves) {
            Object value = evaluate(leaf);
            if (!(value instanceof BackendTensor tensor) || tensor.owner() != backend) {
                return null;
            }
            tensors.add(tensor);
        }
        org.tensorbridge.Shape shape = tensors.get(0).shape();
        for (BackendTensor tensor : tensors) {
            if (!tensor.shape().equals(shape) || tensor.dtype() != root.dtype()) {
                return null; // broadcasting or mixed operands: the ordinary path handles them
            }
        }
        Tensor result = backend.fused(expression, tensors, root.dtype(), shape);
        owned.add(result);
        computed++;
        for (GraphNode leaf : leafUses) {
            int left = consumers.merge(leaf, -1, Integer::sum);
            Object leafValue = values.get(leaf);
            if (left == 0 && !fetched.contains(leaf) && owned.remove(leafValue)) {
                closeQuietly(leafValue);
            }
        }
        return result;
    }

    private FusedExpression expression(GraphNode node, GraphNode root, List<GraphNode> leaves, List<GraphNode> leafUses) {
        GraphNode.Elementwise elementwise = node.elementwise();
        FusedExpression left = operand(graph.mine(node.inputs().get(0), "input"), root, leaves, leafUses);
        FusedExpression right = elementwise.scalar() != null
                ? new FusedExpression.Scalar(ScalarCodec.encode(elementwise.scalar(), node.dtype(), "scalar"),
                        elementwise.scalar())
                : operand(graph.mine(node.inputs().get(1), "input"), root, leaves, leafUses);
        return new FusedExpression.Apply(elementwise.op(), left, right);
    }

    private FusedExpression operand(GraphNode input, GraphNode root, List<GraphNode> leaves, List<GraphNode> leafUses) {
        if (absorbable(input, root)) {
            return expression(input, root, leaves, leafUses);
        }
        leafUses.add(input);
        int index = leaves.indexOf(input);
        if (index < 0) {
            leaves.add(input);
            index = leaves.size() - 1;
        }
        return new FusedExpression.Input(index);
    }

    /** An independent host result; hands owned memory over whole when it can, copies otherwise. */
    private Object toHost(GraphNode node, boolean fetchedAgain) {
        Object value = values.get(node);
        boolean mine = !fetchedAgain && owned.remove(value);
        if (value instanceof BackendTensor tensor) {
            if (mine) {
                try {
                    return backend.handOver(tensor);
                } finally {
                    tensor.close();
                }
            }
            return tensor.toHost(CopyPolicy.ALWAYS, Access.WRITABLE);
        }
        if (value instanceof Tensor foreign) {
            return foreign.toHost(CopyPolicy.ALWAYS, Access.WRITABLE);
        }
        SparseTensor sparse = (SparseTensor) value;
        if (mine && sparse instanceof BackendSparseTensor tensor) {
            try {
                return backend.handOver(tensor);
            } finally {
                tensor.close();
            }
        }
        return copy(sparse);
    }

    private SparseValue copy(SparseTensor sparse) {
        return sparse.toSparseValue(CopyPolicy.ALWAYS, Access.WRITABLE);
    }

    /** Closes what this run made and did not hand over: intermediates, converted feeds. */
    private void closeOwned() {
        for (Object value : owned) {
            closeQuietly(value);
        }
    }

    private static void closeQuietly(Object value) {
        try {
            ((AutoCloseable) value).close();
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
