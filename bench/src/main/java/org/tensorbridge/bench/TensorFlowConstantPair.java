package org.tensorbridge.bench;

import java.util.Arrays;
import org.tensorflow.EagerSession;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Constant;
import org.tensorflow.types.TFloat32;

/**
 * Two float32 constants of {@code n} elements ({@link AddGraph#A} and {@link AddGraph#B}) in a TensorFlow Java
 * eager session of their own: the eager baseline of P4 and P8a. {@link #close()} closes the session, and with it
 * every result it still holds. Used by one JMH state at a time; not thread-safe.
 */
final class TensorFlowConstantPair implements AutoCloseable {
    private final EagerSession session;
    final Ops tf;
    final Constant<TFloat32> a;
    final Constant<TFloat32> b;

    TensorFlowConstantPair(int n) {
        session = EagerSession.create();
        tf = Ops.create(session);
        a = constant(n, AddGraph.A);
        b = constant(n, AddGraph.B);
    }

    private Constant<TFloat32> constant(int n, float value) {
        float[] values = new float[n];
        Arrays.fill(values, value);
        try (TFloat32 t = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(n), DataBuffers.of(values, true, false))) {
            return tf.constantOf(t);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
