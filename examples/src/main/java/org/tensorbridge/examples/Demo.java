package org.tensorbridge.examples;

import java.io.PrintStream;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.HostArray;
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
    }

    private static void report(PrintStream out, HostArray array) {
        out.println("  " + array.dtype().displayName() + array.shape() + "  sharing=" + array.sharing()
                + "  bytesCopied=" + array.bytesCopied() + "  readOnly=" + array.isReadOnly());
    }
}
