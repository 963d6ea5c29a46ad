package org.tensorbridge.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorbridge.AnyTensor;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * Fuses a chain of elementwise nodes of one run: the root and every elementwise input that only it
 * uses (not fetched, not yet computed) become one {@link FusedExpression}, scalar constants become
 * its constants, and everything else becomes an input (a leaf, which the run computes first). The backend
 * computes the chain in one call when it has at least two operations, every input has the result's shape (no
 * broadcasting) and the backend's {@link GraphSupport#fuse} accepts it. A chain holds at most
 * {@link #MAX_DEPTH} levels of operations, so that the expression's recursive walks (its signature, a backend's
 * code generation) stay shallow on graphs of thousands of operations; past that, the input is a leaf, fused as a
 * chain of its own. One per attempt; not thread-safe.
 */
final class ChainFusion {
    /** The most levels of operations in one fused expression. */
    static final int MAX_DEPTH = 64;

    private final GraphRun run;
    private final GraphNode root;
    private final List<GraphNode> leaves = new ArrayList<>();
    private final List<GraphNode> leafUses = new ArrayList<>();
    private final FusedExpression expression;

    /** Plans the chain rooted at {@code root}: its expression and the leaves it reads. */
    ChainFusion(GraphRun run, GraphNode root) {
        this.run = run;
        this.root = root;
        this.expression = expression(root, 1);
    }

    /** True if the chain has the two operations or more that make fusing worth a call. */
    boolean worthFusing() {
        return expression.operations() >= 2;
    }

    /** The nodes the fused call reads, to be computed before {@link #fuse()}. */
    List<GraphNode> leaves() {
        return leaves;
    }

    /**
     * The root's value computed as one fused expression, once every leaf is computed; or null when the
     * chain cannot be fused after all (broadcasting, mixed operands, the backend declined): then the run computes
     * the root's inputs one by one.
     */
    AnyTensor fuse() {
        List<Tensor> inputs = new ArrayList<>();
        for (GraphNode leaf : leaves) {
            AnyTensor value = run.value(leaf);
            if (!(value instanceof Tensor tensor) || tensor.backend() != run.backend()) {
                return null;
            }
            inputs.add(tensor);
        }
        Shape shape = inputs.isEmpty() ? null : inputs.get(0).shape();
        for (Tensor input : inputs) {
            if (!input.shape().equals(shape) || input.dtype() != root.dtype()) {
                return null; // broadcasting or mixed operands: the ordinary path handles them
            }
        }
        if (shape == null) {
            return null;
        }
        Tensor result = run.support().fuse(expression, inputs, root.dtype(), shape);
        if (result == null) {
            return null;
        }
        run.own(result);
        run.consumed(leafUses);
        return result;
    }

    private FusedExpression expression(GraphNode node, int depth) {
        List<FusedExpression> operands = new ArrayList<>();
        for (GraphNode input : node.inputs()) {
            operands.add(operand(input, depth));
        }
        return new FusedExpression.Apply(node.operation(), operands);
    }

    private FusedExpression operand(GraphNode input, int depth) {
        if (input.scalar() != null && input.dtype() == root.dtype()) {
            return new FusedExpression.Scalar(input.scalar(), input.scalarValue());
        }
        if (depth < MAX_DEPTH && run.absorbable(input) && input.dtype() == root.dtype()) {
            return expression(input, depth + 1);
        }
        leafUses.add(input);
        int index = leaves.indexOf(input);
        if (index < 0) {
            leaves.add(input);
            index = leaves.size() - 1;
        }
        return new FusedExpression.Input(index);
    }
}
