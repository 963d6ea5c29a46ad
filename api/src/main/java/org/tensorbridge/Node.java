package org.tensorbridge;

/**
 * A symbolic value in a {@link Graph}: a dense {@link Symbol} or a {@link SparseSymbol}. A node has
 * no value of its own; a {@link Session} computes it. Immutable and thread-safe.
 */
public sealed interface Node permits Symbol, SparseSymbol {
    /** The graph this node belongs to. */
    Graph graph();

    /** The node's name, unique in its graph; generated when none was given. */
    String name();

    /** Element type of its value. */
    DType dtype();
}
