package org.tensorbridge.graph;

import java.nio.ByteBuffer;
import java.util.List;
import org.tensorbridge.DType;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Dims;
import org.tensorbridge.op.Operation;

/**
 * What every node of a {@link RuntimeGraph} knows: its identity, dtype, (partly unknown) dimensions,
 * and for an operation node the operation, its attributes and its inputs. Immutable and thread-safe.
 *
 * @param id position in the graph, unique
 * @param name unique in the graph
 * @param dtype element type of the value
 * @param dims dimensions (the dense dimensions for sparse nodes), {@code -1} where unknown
 * @param sparse whether the value is a sparse tensor
 * @param kind what the node is
 * @param operation the operation of an operation node; null otherwise
 * @param attributes the operation's attributes; {@link Attributes#NONE} for other nodes
 * @param inputs the nodes whose values an operation node needs
 * @param scalar for a scalar constant made by {@code Graph.scalar}, its element (native order), so a
 *     run can fuse it as a constant; null otherwise
 * @param scalarValue the number that {@code scalar} encodes; null otherwise
 */
record GraphNode(int id, String name, DType dtype, long[] dims, boolean sparse, Kind kind, Operation operation,
        Attributes attributes, List<GraphNode> inputs, ByteBuffer scalar, Number scalarValue) {

    /** The role of a node in a run. */
    enum Kind {
        /** Fed at run time. */
        PLACEHOLDER,
        /** Holds a tensor of the graph. */
        CONSTANT,
        /** Computed from its inputs. */
        OPERATION
    }

    /** True if a run may fuse this node into a chain: a floating-point elementwise operation. */
    boolean fusable() {
        return kind == Kind.OPERATION && operation.isElementwise() && dtype.isFloatingPoint();
    }

    /**
     * A node is equal only to itself: two nodes with the same fields are still two nodes of a graph, and
     * the record's field-wise hash would walk every input's hash on every lookup of a run.
     */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    String describe() {
        return "'" + name + "' (" + dtype.displayName() + (sparse ? " sparse" : "") + Dims.format(dims) + ")";
    }
}
