package org.tensorbridge.tck;

import java.util.function.DoubleBinaryOperator;
import org.tensorbridge.Shape;

/** The double-precision reference the kit checks operation values against. */
final class Reference {
    private Reference() {
    }

    /** {@code out[i] = op(a[bcast i], b[bcast i])} by NumPy's broadcasting. */
    static double[] broadcast(double[] a, Shape aShape, double[] b, Shape bShape, Shape out, DoubleBinaryOperator op) {
        double[] result = new double[(int) out.elementCount()];
        for (int i = 0; i < result.length; i++) {
            long[] index = Elements.index(out, i);
            result[i] = op.applyAsDouble(a[source(index, aShape)], b[source(index, bShape)]);
        }
        return result;
    }

    private static int source(long[] outIndex, Shape shape) {
        int offset = outIndex.length - shape.rank();
        long flat = 0;
        for (int axis = 0; axis < shape.rank(); axis++) {
            long i = shape.dim(axis) == 1 ? 0 : outIndex[axis + offset];
            flat = flat * shape.dim(axis) + i;
        }
        return (int) flat;
    }

    /** Row-major {@code [m, k] x [k, n]}. */
    static double[] matmul(double[] a, double[] b, int m, int k, int n) {
        double[] result = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a[i * k + p] * b[p * n + j];
                }
                result[i * n + j] = sum;
            }
        }
        return result;
    }
}
