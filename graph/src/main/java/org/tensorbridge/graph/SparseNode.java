package org.tensorbridge.graph;

import org.tensorbridge.SparseSymbol;

/** A {@link SparseSymbol} of an {@link RuntimeGraph}. Immutable and thread-safe. */
final class SparseNode extends GraphHandle implements SparseSymbol {
    SparseNode(RuntimeGraph graph, GraphNode node) {
        super(graph, node);
    }

    @Override
    public long[] denseDims() {
        return node().dims().clone();
    }

    @Override
    public String toString() {
        return "SparseSymbol" + node().describe();
    }
}
