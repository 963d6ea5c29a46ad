package org.tensorbridge.graph;

import org.tensorbridge.Symbol;

/** A dense {@link Symbol} of an {@link RuntimeGraph}. Immutable and thread-safe. */
final class DenseNode extends GraphHandle implements Symbol {
    DenseNode(RuntimeGraph graph, GraphNode node) {
        super(graph, node);
    }

    @Override
    public long[] dims() {
        return node().dims().clone();
    }

    @Override
    public String toString() {
        return "Symbol" + node().describe();
    }
}
