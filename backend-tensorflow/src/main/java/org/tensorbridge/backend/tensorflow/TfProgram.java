package org.tensorbridge.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tensorbridge.DType;
import org.tensorbridge.memory.ScalarCodec;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * TensorFlow operations added to a computation: run at once on eager handles ({@link EagerProgram}) or
 * added to a graph ({@link GraphProgram}). {@link TfOperations} writes each tensorbridge operation once
 * against this, so eager results and graph results come from the same TensorFlow operations.
 *
 * @param <V> a value: an eager tensor handle, or a graph operation's output
 */
abstract class TfProgram<V> {
    /** Attribute name and value pairs: a value is a TensorFlow dtype code (Integer) or a Boolean. */
    static final Object[] NO_ATTRIBUTES = {};
    /** The most dimensions TensorFlow's SelectV2 handles ("not supported yet" above, even without broadcasting). */
    static final int SELECT_MAX_RANK = 8;

    /** The {@code outputs} outputs of TensorFlow operation {@code type} on {@code inputs}. */
    abstract List<V> run(String type, int outputs, Object[] attributes, List<V> inputs);

    /** A constant holding {@code tensor}'s value; the caller still deletes {@code tensor}. */
    abstract V constant(TF_Tensor tensor);

    @SafeVarargs
    final V op(String type, V... inputs) {
        return run(type, 1, NO_ATTRIBUTES, List.of(inputs)).get(0);
    }

    @SafeVarargs
    final V op(String type, Object[] attributes, V... inputs) {
        return run(type, 1, attributes, List.of(inputs)).get(0);
    }

    /** Attributes {@code name = dtype}, as TensorFlow's dtype code. */
    static Object[] type(String name, DType dtype) {
        return new Object[] {name, Tf.type(dtype)};
    }

    final V ints(int... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.nativeOrder());
        bytes.asIntBuffer().put(values);
        return constant(DType.INT32, new long[] {values.length}, bytes);
    }

    final V longs(long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.nativeOrder());
        bytes.asLongBuffer().put(values);
        return constant(DType.INT64, new long[] {values.length}, bytes);
    }

    /**
     * {@code f} applied to {@code a} seen as one dimension, its result given {@code a}'s shape back: for forms that
     * broadcast a scalar with SelectV2, which TensorFlow handles over at most {@link #SELECT_MAX_RANK} dimensions
     * ({@code f} must keep every element where it is). Reshapes share the memory: no element is copied.
     */
    final V onFlat(V a, UnaryOperator<V> f) {
        V result = f.apply(op("Reshape", a, longs(-1)));
        return op("Reshape", result, op("Shape", type("out_type", DType.INT64), a));
    }

    /** A rank-0 constant. */
    final V scalar(DType dtype, Number value) {
        return constant(dtype, new long[0], ScalarCodec.encode(value, dtype, "value"));
    }

    private V constant(DType dtype, long[] dims, ByteBuffer bytes) {
        TF_Tensor tensor = Tf.tensor(dtype, dims, bytes);
        try {
            return constant(tensor);
        } finally {
            TF_DeleteTensor(tensor);
        }
    }
}
