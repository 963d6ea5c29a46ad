package org.tensorbridge.bench;

import java.util.Arrays;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Add;
import org.tensorflow.types.TFloat32;

/**
 * {@link AddGraph} in TensorFlow Java, the baseline of P4b and P8c: two placeholders and an add in a graph of its
 * own, fed with tensors made once (placeholders, because TensorFlow would fold a graph of constants).
 * {@link #close()} closes everything it made. Used by one JMH state at a time; not thread-safe.
 */
final class TensorFlowAddGraph implements AutoCloseable {
    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> x;
    private final Placeholder<TFloat32> y;
    private final Add<TFloat32> sum;
    private final TFloat32 a;
    private final TFloat32 b;

    TensorFlowAddGraph(int n) {
        graph = new Graph();
        Ops tf = Ops.create(graph);
        x = tf.placeholder(TFloat32.class);
        y = tf.placeholder(TFloat32.class);
        sum = tf.math.add(x, y);
        session = new Session(graph);
        a = filled(n, AddGraph.A);
        b = filled(n, AddGraph.B);
    }

    private static TFloat32 filled(int n, float value) {
        float[] values = new float[n];
        Arrays.fill(values, value);
        return TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(n), DataBuffers.of(values, true, false));
    }

    /** {@code Session.runner().feed(a).feed(b).fetch(sum).run()}; the caller closes the result. */
    Result run() {
        return session.runner().feed(x, a).feed(y, b).fetch(sum).run();
    }

    @Override
    public void close() {
        session.close();
        graph.close();
        a.close();
        b.close();
    }
}
