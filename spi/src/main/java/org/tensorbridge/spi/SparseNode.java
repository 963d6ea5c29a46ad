package org.tensorbridge.spi;

import org.tensorbridge.SparseSymbol;

/** A {@link SparseSymbol} of an {@link SpiGraph}. Immutable and thread-safe. */
final class SparseNode extends GraphHandle implements SparseSymbol {
    SparseNode(SpiGraph graph, GraphNode node) {
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
