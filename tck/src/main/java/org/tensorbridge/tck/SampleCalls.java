package org.tensorbridge.tck;

import java.util.ArrayList;
import java.util.List;
import org.tensorbridge.AnyTensor;
import org.tensorbridge.Backend;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.op.ValueKind;

/**
 * A small valid call of every built-in operation on inputs of one dtype, for the rules that must call
 * each operation once (its capability is true; graph and eager agree): the inputs, made on the backend
 * under test, and the attributes. Closing the sample closes the inputs. Not thread-safe.
 */
final class SampleCalls implements AutoCloseable {
    private final List<AnyTensor> inputs = new ArrayList<>();
    private final Attributes attributes;

    private SampleCalls(Attributes attributes) {
        this.attributes = attributes;
    }

    /** The inputs, in the operation's order. */
    AnyTensor[] inputs() {
        return inputs.toArray(AnyTensor[]::new);
    }

    /** The attributes. */
    Attributes attributes() {
        return attributes;
    }

    /** Runs the operation eagerly on the backend. */
    AnyTensor run(Backend backend, Operation operation) {
        return operation.output() == ValueKind.SPARSE ? backend.applySparse(operation, attributes, inputs())
                : backend.apply(operation, attributes, inputs());
    }

    /**
     * A valid call of {@code operation} (a built-in) with inputs of {@code dtype}, or null if the kit has
     * none for it or the backend lacks int64 for a sparse operation's indices.
     */
    static SampleCalls of(Operation operation, DType dtype, Backend backend, Fixtures fixtures) {
        boolean sparse = operation.inputKinds().contains(ValueKind.SPARSE) || operation.output() == ValueKind.SPARSE;
        if (sparse && !backend.capabilities().supports(DType.INT64)) {
            return null;
        }
        SampleCalls call = new SampleCalls(attributes(operation, dtype, backend));
        try {
            double[] positive = {1, 2, 3, 4, 5, 6};
            if (operation == Operations.MATMUL || operation == Operations.SPARSE_MATMUL) {
                call.inputs.add(operation == Operations.MATMUL ? fixtures.tensor(dtype, Shape.of(2, 3), positive)
                        : sparse(backend, fixtures, dtype));
                call.inputs.add(fixtures.tensor(dtype, Shape.of(3, 2), positive));
            } else if (operation == Operations.SPARSE_MULTIPLY) {
                call.inputs.add(sparse(backend, fixtures, dtype));
                call.inputs.add(fixtures.tensor(dtype, Shape.scalar(), 2));
            } else if (operation.isElementwise() && operation.arity() == 2) {
                call.inputs.add(fixtures.tensor(dtype, Shape.of(2, 3), positive));
                call.inputs.add(fixtures.tensor(dtype, Shape.of(3), 1, 2, 1));
            } else if (operation == Operations.TO_SPARSE) {
                call.inputs.add(fixtures.tensor(dtype, Shape.of(2, 3), 0, 1, 0, 2, 0, 3));
            } else {
                for (ValueKind kind : operation.inputKinds()) {
                    call.inputs.add(kind == ValueKind.SPARSE ? sparse(backend, fixtures, dtype)
                            : fixtures.tensor(dtype, Shape.of(2, 3), positive));
                }
            }
            return call;
        } catch (RuntimeException | Error e) {
            call.close();
            throw e;
        }
    }

    private static Attributes attributes(Operation operation, DType dtype, Backend backend) {
        if (operation == Operations.RESHAPE) {
            return Attributes.of(Attribute.DIMS, new long[] {3, -1});
        }
        if (operation == Operations.CAST) {
            return Attributes.of(Attribute.DTYPE, backend.capabilities().supports(DType.FLOAT32) ? DType.FLOAT32 : dtype);
        }
        if (operation == Operations.TRANSPOSE) {
            return Attributes.of(Attribute.PERMUTATION, new int[] {1, 0});
        }
        if (operation.isReduction()) {
            return Attributes.of(Attribute.AXES, new int[] {1}, Attribute.KEEP_DIMS, true);
        }
        if (operation == Operations.TO_DENSE) {
            return Attributes.of(Attribute.MAX_ELEMENTS, 100L);
        }
        if (operation == Operations.SPARSE_SUM) {
            return Attributes.of(Attribute.AXIS, 0);
        }
        return Attributes.NONE;
    }

    /** A [2, 3] sparse tensor with a duplicate, out of order. */
    private static SparseTensor sparse(Backend backend, Fixtures fixtures, DType dtype) {
        try (Tensor indices = fixtures.tensor(DType.INT64, Shape.of(3, 2), 1, 2, 0, 1, 1, 2);
                Tensor values = fixtures.tensor(dtype, Shape.of(3), 1, 2, 3)) {
            return backend.sparseCoo(indices, values, Shape.of(2, 3));
        }
    }

    @Override
    public void close() {
        inputs.forEach(AnyTensor::close);
    }
}
