package org.tensorbridge.examples;

import java.io.PrintStream;
import java.util.Map;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Graph;
import org.tensorbridge.Session;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;

/**
 * The TensorFlow snippet every user knows, in Java, with the question it never answers: did that
 * conversion copy?
 *
 * <pre>
 * a = tf.constant([[1, 2], [3, 4]])
 * b = tf.add(a, 1)
 * tf.multiply(a, b).numpy()   # [[ 2,  6], [12, 20]]
 * </pre>
 */
public final class Demo {
    private Demo() {
    }

    /** Runs the demo on the default backend (or the one {@code tensorbridge.backend} names). */
    public static void main(String[] args) {
        run(Backends.get(), System.out);
    }

    /** Prints the demo for {@code backend} to {@code out}. */
    public static void run(Backend backend, PrintStream out) {
        out.println("backend: " + backend.name() + " on " + backend.device());
        try (Tensor a = backend.constant(new int[][] {{1, 2}, {3, 4}});
                Tensor b = a.add(1);
                Tensor product = a.multiply(b)) {
            out.println("a = constant([[1, 2], [3, 4]])  ->  " + a.dtype().displayName() + a.shape());
            out.println("b = add(a, 1)");
            out.println("multiply(a, b)");

            try (HostArray view = product.toHost()) {
                out.println();
                out.println("toHost()                      " + view.formatValues());
                report(out, view);
            }
            try (HostArray copy = product.toHost(CopyPolicy.ALWAYS)) {
                out.println("toHost(ALWAYS)                " + copy.formatValues());
                report(out, copy);
            }
            try (HostArray writable = product.toHost(CopyPolicy.NEVER, Access.WRITABLE)) {
                writable.setInt(100, 0, 0);
                out.println("toHost(NEVER, WRITABLE)       set [0, 0] = 100 through the view");
                report(out, writable);
            }
            try (Tensor later = product.add(0); HostArray seen = later.toHost()) {
                out.println("add(product, 0) afterwards    " + seen.formatValues() + "  (the write reached the tensor)");
            }
        }
        graph(backend, out);
        sparse(backend, out);
        out.println();
        out.println("the README's tour:");
        Tour.eager(backend, out);
        Tour.graph(backend, out);
        Tour.sparse(backend, out);
    }

    /** TensorFlow 1: build a graph, then {@code sess.run(y, feed_dict)} and {@code y.eval()} in a default session. */
    private static void graph(Backend backend, PrintStream out) {
        out.println();
        try (Graph graph = backend.newGraph(); Session session = graph.newSession()) {
            Symbol a = graph.placeholder("a", DType.INT32, -1, 2);
            Symbol y = a.multiply(a.add(1));
            out.println("graph: a = placeholder(int32, [?, 2]); y = multiply(a, add(a, 1))");
            try (HostArray result = session.run(y, Map.of(a, new int[][] {{1, 2}, {3, 4}}))) {
                out.println("session.run(y, {a: [[1, 2], [3, 4]]})  " + result.formatValues());
                report(out, result);
            }
            try (Tensor five = backend.constant(new int[][] {{5, 6}})) {
                Symbol c = graph.constant(five);
                try (Session.Scope scope = session.asDefault(); HostArray result = c.multiply(c.add(1)).eval()) {
                    out.println("with session.asDefault(): multiply(c, add(c, 1)).eval()  " + result.formatValues());
                }
            }
        }
    }

    /** A sparse result comes back sparse, as TensorFlow's SparseTensorValue. */
    private static void sparse(Backend backend, PrintStream out) {
        out.println();
        try (SparseTensor s = backend.sparseCoo(new long[][] {{2, 3}, {0, 1}, {2, 3}}, new float[] {1, 2, 3}, 3, 4);
                SparseTensor canonical = s.coalesce();
                SparseValue value = canonical.toSparseValue()) {
            out.println("sparse: indices [[2, 3], [0, 1], [2, 3]], values [1, 2, 3], dense shape [3, 4]; coalesce()");
            out.println("  indices " + value.indices().formatValues() + "  values " + value.values().formatValues()
                    + "  canonical=" + value.isCanonical() + "  values sharing=" + value.values().sharing());
        }
    }

    private static void report(PrintStream out, HostArray array) {
        out.println("  " + array.dtype().displayName() + array.shape() + "  sharing=" + array.sharing()
                + "  bytesCopied=" + array.bytesCopied() + "  readOnly=" + array.isReadOnly());
    }
}
