package org.tensorbridge.examples;

import java.io.PrintStream;
import java.util.Map;
import org.tensorbridge.Backend;
import org.tensorbridge.CsrValue;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;
import org.tensorbridge.TensorScope;

/**
 * The README's tour, as code that compiles and runs: each method's body between the {@code // tour}
 * markers is quoted verbatim in README.md (a test checks it), and runs leak-free under the leak check.
 */
public final class Tour {
    private Tour() {
    }

    /** Eager, as TensorFlow 2: the tensors of a chain closed by a scope. */
    public static void eager(Backend cpu, PrintStream out) {
        // tour: eager
        try (TensorScope scope = TensorScope.open()) {                   // closes every tensor made inside
            Tensor a = cpu.constant(new int[][] {{1, 2}, {3, 4}});
            Tensor product = a.multiply(a.add(1));                       // [[2, 6], [12, 20]]
            try (HostArray view = product.toHost()) {                    // shared, read-only: no copy
                out.println(view.formatValues() + " " + view.sharing() + " " + view.bytesCopied());
            }
            Tensor x = cpu.constant(new float[][] {{1, 2, 3}, {4, 5, 6}});
            try (HostArray rows = x.exp().sum(new int[] {1}, true).toHost();  // [2, 1]
                    HostArray t = x.transpose().toHost()) {              // [3, 2], a new tensor
                out.println(rows.formatValues() + " " + t.formatValues());
            }
        }
        // end tour
    }

    /** A graph and a session, as TensorFlow 1. */
    public static void graph(Backend cpu, PrintStream out) {
        // tour: graph
        try (Graph graph = cpu.newGraph(); Session session = graph.newSession()) {
            Symbol a = graph.placeholder("a", DType.INT32, -1, 2);       // [?, 2]
            Symbol y = a.multiply(a.add(1));
            try (HostArray r = session.run(y, Map.of(a, new int[][] {{1, 2}, {3, 4}}))) {
                out.println(r.formatValues() + " " + r.sharing() + " " + r.bytesCopied());
            }
            Symbol c = graph.scalar(DType.FLOAT32, 3);                   // eval() takes no feeds: use constants
            try (Session.Scope scope = session.asDefault(); HostArray r = c.multiply(c).tanh().eval()) {
                out.println(r.formatValues());
            }
        }
        // end tour
    }

    /** Sparse, as TensorFlow's SparseTensorValue. */
    public static void sparse(Backend cpu, PrintStream out) {
        // tour: sparse
        try (SparseTensor s = cpu.sparseCoo(new long[][] {{2, 3}, {0, 1}}, new float[] {1, 2}, 3, 4);
                SparseTensor canonical = s.coalesce();
                SparseValue v = canonical.toSparseValue();               // COO indices int64 [nnz, 2], values [nnz]
                CsrValue csr = v.toCsr();                                // indptr, indices, values, as SciPy
                Tensor dense = s.toDense(1_000_000)) {                   // refuses past the limit you give
            out.println(v.indices().formatValues() + " " + csr.indptr().formatValues() + " " + dense.shape());
        }
        // end tour
    }
}
