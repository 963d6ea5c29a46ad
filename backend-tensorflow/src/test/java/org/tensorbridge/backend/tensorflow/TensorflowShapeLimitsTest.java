package org.tensorbridge.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.Shape;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;
import org.tensorbridge.tck.ChildJvm;

/**
 * Shapes TensorFlow cannot hold (more than 254 dimensions; dimensions whose product, taken in order, overflows
 * before a zero that empties the shape) abort the process inside TensorFlow, so the backend refuses them with a
 * {@link org.tensorbridge.ShapeMismatchException} before any TensorFlow call: created tensors, copies of
 * buffers, session feeds and graph constants. Each scenario runs in a child JVM, where an abort fails this test
 * instead of the test run; the shapes TensorFlow does hold at those limits are still made.
 */
class TensorflowShapeLimitsTest {
    private static final long HUGE = 1L << 40;

    @Test
    void shapesTensorflowCannotHoldAreRefusedAndTheLimitsThemselvesAreMade() throws Exception {
        String output = ChildJvm.run(Child.class, "limits");

        for (String line : new String[] {
            "zeros of rank 255: refused ShapeMismatchException: shape has 255 dimensions, but TensorFlow holds at "
                    + "most 254",
            "zeros of [2^40, 2^40, 0]: refused ShapeMismatchException: shape [1099511627776, 1099511627776, 0] "
                    + "cannot be held by TensorFlow",
            "fromBuffer of [2^40, 2^40, 0]: refused ShapeMismatchException: shape [1099511627776, 1099511627776, "
                    + "0]",
            "a feed of rank 255: refused ShapeMismatchException: shape has 255 dimensions",
            "a feed of [2^40, 2^40, 0]: refused ShapeMismatchException: shape [1099511627776, 1099511627776, 0]",
            "a constant of rank 255: refused ShapeMismatchException: the shape of a float32 tensor for TensorFlow "
                    + "has 255",
            "zeros of rank 254: made",
            "zeros of [0, 2^40, 2^40]: made"}) {
            assertTrue(output.contains(line), () -> "expected \"" + line + "\" in the child's output:\n" + output);
        }
    }

    /** Runs in the child JVM; says what it is about to do before doing it. */
    static final class Child {
        public static void main(String[] args) {
            Backend tf = Backends.get("tensorflow");
            Backend cpu = Backends.get("cpu");
            Shape rank255 = ones(255);
            Shape emptyLast = Shape.of(HUGE, HUGE, 0);
            attempt("zeros of rank 255", () -> tf.zeros(DType.FLOAT32, rank255));
            attempt("zeros of [2^40, 2^40, 0]", () -> tf.zeros(DType.FLOAT32, emptyLast));
            attempt("fromBuffer of [2^40, 2^40, 0]",
                    () -> tf.fromBuffer(ByteBuffer.allocateDirect(0), DType.FLOAT32, emptyLast, CopyPolicy.IF_NEEDED));
            attempt("zeros of rank 254", () -> tf.zeros(DType.FLOAT32, ones(254)));
            attempt("zeros of [0, 2^40, 2^40]", () -> tf.zeros(DType.FLOAT32, Shape.of(0, HUGE, HUGE)));
            feed("a feed of rank 255", tf, cpu.zeros(DType.FLOAT32, rank255), 255);
            feed("a feed of [2^40, 2^40, 0]", tf, cpu.zeros(DType.FLOAT32, emptyLast), 3);
            attempt("a constant of rank 255", () -> {
                try (Graph graph = tf.newGraph(); Tensor value = cpu.zeros(DType.FLOAT32, rank255)) {
                    graph.constant(value);
                }
                return null;
            });
        }

        private static void feed(String label, Backend tf, Tensor value, int rank) {
            long[] unknown = new long[rank];
            Arrays.fill(unknown, -1);
            try (value; HostArray host = value.toHost()) {
                attempt(label, () -> {
                    try (Graph graph = tf.newGraph(); Session session = graph.newSession()) {
                        Symbol x = graph.placeholder("x", DType.FLOAT32, unknown);
                        session.run(x.add(x), Map.of(x, host)).close();
                    }
                    return null;
                });
            }
        }

        private interface Attempt {
            AutoCloseable run() throws Exception;
        }

        private static void attempt(String label, Attempt attempt) {
            ChildJvm.say(label + " ...");
            try (AutoCloseable made = attempt.run()) {
                ChildJvm.say(label + ": made");
            } catch (Exception e) {
                ChildJvm.say(label + ": refused " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        private static Shape ones(int rank) {
            long[] dims = new long[rank];
            Arrays.fill(dims, 1);
            return Shape.of(dims);
        }
    }
}
