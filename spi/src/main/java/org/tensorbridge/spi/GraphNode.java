package org.tensorbridge.spi;

import java.util.List;
import org.tensorbridge.DType;
import org.tensorbridge.Node;

/**
 * What every node of an {@link SpiGraph} knows: its identity, dtype, (partly unknown) dimensions,
 * inputs, and how to compute its value from theirs. Immutable and thread-safe.
 *
 * @param id position in the graph, unique
 * @param name unique in the graph
 * @param dtype element type of the value
 * @param dims dimensions (the dense dimensions for sparse nodes), {@code -1} where unknown
 * @param sparse whether the value is a sparse tensor
 * @param kind what the node is
 * @param inputs the nodes whose values it needs
 * @param evaluator computes the value from the inputs' values; null for placeholders and constants
 * @param elementwise for a dense elementwise operation, what it is, so a run can fuse chains of them;
 *     null otherwise
 */
record GraphNode(int id, String name, DType dtype, long[] dims, boolean sparse, Kind kind, List<Node> inputs,
        Evaluator evaluator, Elementwise elementwise) {

    /** A dense elementwise operation: two inputs, or one input and a scalar (then {@code scalar} is not null). */
    record Elementwise(BinaryOp op, Number scalar) {
    }

    /** The role of a node in a run. */
    enum Kind {
        /** Fed at run time. */
        PLACEHOLDER,
        /** Holds a tensor of the graph. */
        CONSTANT,
        /** Computed from its inputs. */
        OPERATION
    }

    /** Computes a node's value (a Tensor or SparseTensor, new and owned by the run) from its inputs'. */
    @FunctionalInterface
    interface Evaluator {
        Object evaluate(List<Object> inputs);
    }

    String describe() {
        StringBuilder text = new StringBuilder("'").append(name).append("' (").append(dtype.displayName());
        text.append(sparse ? " sparse[" : "[");
        for (int i = 0; i < dims.length; i++) {
            text.append(i > 0 ? ", " : "").append(dims[i] < 0 ? "?" : Long.toString(dims[i]));
        }
        return text.append("])").toString();
    }
}
