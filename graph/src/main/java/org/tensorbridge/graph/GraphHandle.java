package org.tensorbridge.graph;

import org.tensorbridge.DType;
import org.tensorbridge.Graph;

/** What the dense and sparse symbols of an {@link RuntimeGraph} share: the graph and the node behind them. */
abstract class GraphHandle {
    private final RuntimeGraph graph;
    private final GraphNode node;

    GraphHandle(RuntimeGraph graph, GraphNode node) {
        this.graph = graph;
        this.node = node;
    }

    final GraphNode node() {
        return node;
    }

    /** The graph the symbol belongs to. */
    public final Graph graph() {
        return graph;
    }

    /** The node's unique name. */
    public final String name() {
        return node.name();
    }

    /** Element type of its value. */
    public final DType dtype() {
        return node.dtype();
    }
}
