package org.tensorbridge.spi;

import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.SparseSymbol;

/** A {@link SparseSymbol} of an {@link SpiGraph}. Immutable and thread-safe. */
final class SparseNode implements SparseSymbol {
    private final SpiGraph graph;
    private final GraphNode node;

    SparseNode(SpiGraph graph, GraphNode node) {
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
    public long[] denseDims() {
        return node.dims().clone();
    }

    @Override
    public String toString() {
        return "SparseSymbol" + node.describe();
    }
}
