package org.tensorbridge.spi;

import org.tensorbridge.Symbol;

/** A dense {@link Symbol} of an {@link SpiGraph}. Immutable and thread-safe. */
final class DenseNode extends GraphHandle implements Symbol {
    DenseNode(SpiGraph graph, GraphNode node) {
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
