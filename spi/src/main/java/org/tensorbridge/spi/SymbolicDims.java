package org.tensorbridge.spi;

import java.util.Arrays;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;

/**
 * Shape rules on dimensions that may be unknown ({@code -1}) while a graph is built: what is known
 * is checked when the node is added; the rest is checked when a placeholder is fed.
 */
final class SymbolicDims {
    private SymbolicDims() {
    }

    static String format(long[] dims) {
        return Arrays.toString(Arrays.stream(dims).mapToObj(d -> d < 0 ? "?" : Long.toString(d)).toArray());
    }

    /** NumPy broadcasting where a {@code -1} may turn out to be anything compatible. */
    static long[] broadcast(String operation, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da >= 0 && db >= 0) {
                if (da != db && da != 1 && db != 1) {
                    throw new ShapeMismatchException(operation + "(a, b): shapes " + format(a) + " and " + format(b)
                            + " cannot be broadcast at axis " + i + " (" + da + " vs " + db + "); sizes must be equal or 1");
                }
                out[i] = da == 1 ? db : da;
            } else if (da < 0 && db < 0) {
                out[i] = -1;
            } else {
                long known = da < 0 ? db : da;
                out[i] = known == 1 ? -1 : known;
            }
        }
        return out;
    }

    static long[] matmul(long[] a, long[] b) {
        if (a.length != 2 || b.length != 2) {
            throw new ShapeMismatchException("matmul(a, b) needs rank-2 operands but a is " + format(a) + " and b is "
                    + format(b));
        }
        if (a[1] >= 0 && b[0] >= 0 && a[1] != b[0]) {
            throw new ShapeMismatchException("matmul(a, b): a is " + format(a) + " and b is " + format(b)
                    + "; a's columns must equal b's rows");
        }
        return new long[] {a[0], b[1]};
    }

    static long[] reshape(long[] from, long[] to) {
        boolean known = Arrays.stream(from).allMatch(d -> d >= 0);
        int inferred = -1;
        long product = 1;
        for (int i = 0; i < to.length; i++) {
            if (to[i] == -1) {
                if (inferred >= 0) {
                    throw new ShapeMismatchException("reshape dims " + Arrays.toString(to) + " has more than one -1");
                }
                inferred = i;
            } else if (to[i] < 0) {
                throw new IllegalArgumentException("dims[" + i + "] is " + to[i] + "; use sizes of 0 or more, or -1");
            } else {
                product *= to[i];
            }
        }
        long[] out = to.clone();
        if (known) {
            long count = Shape.of(from).elementCount();
            if (inferred >= 0 && product > 0 && count % product == 0) {
                out[inferred] = count / product;
            }
            if ((inferred < 0 && product != count) || (inferred >= 0 && (product == 0 || count % product != 0))) {
                throw new ShapeMismatchException("cannot reshape " + format(from) + " (" + count + " elements) to "
                        + Arrays.toString(to));
            }
        }
        return out;
    }

    /** True if {@code actual} fits {@code declared}: same rank, every known size equal. */
    static boolean fits(long[] declared, Shape actual) {
        if (declared.length != actual.rank()) {
            return false;
        }
        for (int i = 0; i < declared.length; i++) {
            if (declared[i] >= 0 && declared[i] != actual.dim(i)) {
                return false;
            }
        }
        return true;
    }
}
