package org.tensorbridge.spi;

import java.util.List;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.OperandTypes;
import org.tensorbridge.op.Operation;

/**
 * What a kernel receives: the operation, its attributes, the pinned inputs (an {@link Operand} for a
 * dense input, a {@link SparseOperand} for a sparse one), and the result's dtype and shape that the
 * operation's rules computed (the dense shape for a sparse result).
 *
 * <p>Immutable; valid for the duration of the kernel call only.
 */
public final class KernelCall {
    private final Operation operation;
    private final Attributes attributes;
    private final Object[] inputs;
    private final DType resultDType;
    private final Shape resultShape;
    private final Memory memory;

    /** Takes {@code inputs} as it is: the array is the runner's, made for this call only. */
    KernelCall(Operation operation, Attributes attributes, Object[] inputs, DType resultDType, Shape resultShape,
            Memory memory) {
        this.operation = operation;
        this.attributes = attributes;
        this.inputs = inputs;
        this.resultDType = resultDType;
        this.resultShape = resultShape;
        this.memory = memory;
    }

    /** What the operation's rules saw of this call: its inputs' dtypes and dimensions, and the attributes. */
    public OperandTypes types() {
        List<DType> dtypes = new java.util.ArrayList<>();
        List<long[]> dims = new java.util.ArrayList<>();
        for (Object input : inputs) {
            if (input instanceof Operand operand) {
                dtypes.add(operand.dtype());
                dims.add(operand.shape().toArray());
            } else {
                SparseOperand sparse = (SparseOperand) input;
                dtypes.add(sparse.dtype());
                dims.add(sparse.denseShape().toArray());
            }
        }
        return new OperandTypes(operation, attributes, dtypes, dims);
    }

    /** The operation. */
    public Operation operation() {
        return operation;
    }

    /** Its attributes. */
    public Attributes attributes() {
        return attributes;
    }

    /** Number of inputs. */
    public int inputCount() {
        return inputs.length;
    }

    /** Dense input {@code i}. */
    public Operand input(int i) {
        if (!(inputs[i] instanceof Operand operand)) {
            throw new IllegalArgumentException("input " + i + " of " + operation + " is sparse; use sparseInput(" + i
                    + ")");
        }
        return operand;
    }

    /** Sparse input {@code i}. */
    public SparseOperand sparseInput(int i) {
        if (!(inputs[i] instanceof SparseOperand operand)) {
            throw new IllegalArgumentException("input " + i + " of " + operation + " is dense; use input(" + i + ")");
        }
        return operand;
    }

    /** The result's dtype. */
    public DType resultDType() {
        return resultDType;
    }

    /** The result's shape (the dense shape of a sparse result). */
    public Shape resultShape() {
        return resultShape;
    }

    /** New memory of the backend for a {@code dtype} array of {@code shape}, one reference; contents unspecified. */
    public Storage allocate(DType dtype, Shape shape) {
        return memory.allocate(dtype, shape);
    }
}
