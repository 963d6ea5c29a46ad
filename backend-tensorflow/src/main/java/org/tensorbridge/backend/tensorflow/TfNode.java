package org.tensorbridge.backend.tensorflow;

import java.util.List;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.Node;
import org.tensorbridge.SparseSymbol;
import org.tensorbridge.Symbol;
import org.tensorbridge.op.Dims;
import org.tensorbridge.op.Operation;
import org.tensorflow.internal.c_api.TF_Output;

/**
 * A node of a {@link TfGraph}: the node of the generic runtime's graph that checked it (and gave it its
 * name, dtype and dimensions), and the TensorFlow outputs that compute it (one for a dense value; indices,
 * values and dense shape for a sparse one). Immutable and thread-safe.
 */
abstract class TfNode {
    final TfGraph graph;
    final Node checked;
    final List<TF_Output> outputs;
    final List<TfNode> inputs;
    /** The operation of an operation node; null for placeholders and constants. */
    final Operation operation;
    /**
     * A placeholder's TensorFlow placeholders, which feeds go to; its {@link #outputs} are their identities, since
     * TensorFlow refuses to fetch what it is fed. Empty for other nodes.
     */
    final List<TF_Output> fed;
    final boolean placeholder;

    TfNode(TfGraph graph, Node checked, List<TF_Output> outputs, List<TfNode> inputs, Operation operation,
            List<TF_Output> fed) {
        this.graph = graph;
        this.checked = checked;
        this.outputs = List.copyOf(outputs);
        this.inputs = List.copyOf(inputs);
        this.operation = operation;
        this.fed = List.copyOf(fed);
        this.placeholder = !fed.isEmpty();
    }

    /** The graph. */
    public final Graph graph() {
        return graph;
    }

    /** The node's unique name. */
    public final String name() {
        return checked.name();
    }

    /** The dtype of its value. */
    public final DType dtype() {
        return checked.dtype();
    }

    /** Dimensions (the dense ones of a sparse node), {@code -1} where unknown. */
    abstract long[] known();

    /** The value in {@link TfOperations}' terms: a TensorFlow output, or a sparse triple. */
    abstract Object value();

    /** The node as messages name it. */
    final String describe() {
        return "'" + name() + "' (" + dtype().displayName() + (this instanceof SparseNode ? " sparse" : "")
                + Dims.format(known()) + ")";
    }

    /** A dense node. */
    static final class DenseNode extends TfNode implements Symbol {
        DenseNode(TfGraph graph, Node checked, List<TF_Output> outputs, List<TfNode> inputs, Operation operation,
                List<TF_Output> fed) {
            super(graph, checked, outputs, inputs, operation, fed);
        }

        @Override
        public long[] dims() {
            return known();
        }

        @Override
        long[] known() {
            return ((Symbol) checked).dims();
        }

        @Override
        Object value() {
            return outputs.get(0);
        }

        @Override
        public String toString() {
            return "Symbol" + describe();
        }
    }

    /** A sparse node. */
    static final class SparseNode extends TfNode implements SparseSymbol {
        SparseNode(TfGraph graph, Node checked, List<TF_Output> outputs, List<TfNode> inputs, Operation operation,
                List<TF_Output> fed) {
            super(graph, checked, outputs, inputs, operation, fed);
        }

        @Override
        public long[] denseDims() {
            return known();
        }

        @Override
        long[] known() {
            return ((SparseSymbol) checked).denseDims();
        }

        @Override
        Object value() {
            return new TfOperations.Sparse<>(outputs.get(0), outputs.get(1), outputs.get(2));
        }

        @Override
        public String toString() {
            return "SparseSymbol" + describe();
        }
    }
}
