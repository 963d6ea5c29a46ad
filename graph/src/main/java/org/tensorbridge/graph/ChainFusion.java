package org.tensorbridge.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorbridge.AnyTensor;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * Fuses a chain of elementwise nodes of one run: the root and every elementwise input that only it
 * uses (not fetched, not yet computed) become one {@link FusedExpression}, scalar constants become
 * its constants, and everything else becomes an input. The backend computes the chain in one call
 * when it has at least two operations, every input has the result's shape (no broadcasting) and the
 * backend's {@link GraphSupport#fuse} accepts it. One per attempt; not thread-safe.
 */
final class ChainFusion {
    private final GraphRun run;
    private final GraphNode root;
    private final List<GraphNode> leaves = new ArrayList<>();
    private final List<GraphNode> leafUses = new ArrayList<>();

    ChainFusion(GraphRun run, GraphNode root) {
        this.run = run;
        this.root = root;
    }

    /**
     * The root's value computed as one fused expression, or null when the chain cannot be fused; then
     * the inputs it evaluated stay computed for the ordinary path.
     */
    AnyTensor run() {
        FusedExpression expression = expression(root);
        if (expression.operations() < 2) {
            return null;
        }
        List<Tensor> inputs = new ArrayList<>();
        for (GraphNode leaf : leaves) {
            AnyTensor value = run.evaluate(leaf);
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

    private FusedExpression expression(GraphNode node) {
        List<FusedExpression> operands = new ArrayList<>();
        for (GraphNode input : node.inputs()) {
            operands.add(operand(input));
        }
        return new FusedExpression.Apply(node.operation(), operands);
    }

    private FusedExpression operand(GraphNode input) {
        if (input.scalar() != null && input.dtype() == root.dtype()) {
            return new FusedExpression.Scalar(input.scalar(), input.scalarValue());
        }
        if (run.absorbable(input) && input.dtype() == root.dtype()) {
            return expression(input);
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
