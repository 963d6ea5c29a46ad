package org.tensorbridge.spi;

import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.Symbol;

/** A dense {@link Symbol} of an {@link SpiGraph}. Immutable and thread-safe. */
final class DenseNode implements Symbol {
    private final SpiGraph graph;
    private final GraphNode node;

    DenseNode(SpiGraph graph, GraphNode node) {
        this.graph = graph;
        this.node = node;
    }

    GraphNode node() {
        return node;
    }

    @Override
    public Graph graph() {
        return graph;
    }

    @Override
    public String name() {
        return node.name();
    }

    @Override
    public DType dtype() {
        return node.dtype();
    }

    @Override
    public long[] dims() {
        return node.dims().clone();
    }

    @Override
    public String toString() {
        return "Symbol" + node.describe();
    }
}
