package org.tensorbridge.backend.reference;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.tensorbridge.DType;
import org.tensorbridge.memory.ElementAccess;
import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.KernelCall;
import org.tensorbridge.spi.Operand;

/**
 * Sum, mean, max and min over axes, exactly: integers accumulate in {@code long} and wrap once to the
 * dtype (the same as wrapping at every step), floating values accumulate in {@code double} and round
 * once; max and min follow {@link Math#max} and {@link Math#min} (NaN wins). Stateless.
 */
final class Reductions {
    private Reductions() {
    }

    static void reduce(KernelCall call, Operand result) {
        Operand a = call.input(0);
        DType dtype = a.dtype();
        int rank = a.shape().rank();
        boolean[] reduced = reducedAxes(call, rank);
        long[] outputStrides = outputStridesPerInputAxis(a, reduced);
        int outputs = (int) result.shape().elementCount();
        boolean sum = call.operation().combiner() == Operations.ADD;
        boolean max = call.operation().combiner() == Operations.MAXIMUM;
        ByteBuffer x = Elements.memory(a);
        ByteBuffer out = Elements.memory(result);
        Odometer walk = new Odometer(a.shape(), outputStrides);
        long n = a.shape().elementCount();
        long count = outputs == 0 ? 0 : n / outputs;
        if (dtype.isFloatingPoint()) {
            double[] acc = new double[outputs];
            Arrays.fill(acc, sum ? 0 : max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
            for (long i = 0; i < n; i++) {
                int o = (int) walk.offset(0);
                double v = ElementAccess.readDouble(x, dtype, i);
                acc[o] = sum ? acc[o] + v : max ? Math.max(acc[o], v) : Math.min(acc[o], v);
                walk.advance();
            }
            for (int o = 0; o < outputs; o++) {
                ElementAccess.writeDouble(out, dtype, o, call.operation().averages() ? acc[o] / count : acc[o]);
            }
        } else {
            long[] acc = new long[outputs];
            Arrays.fill(acc, sum ? 0 : max ? Long.MIN_VALUE : Long.MAX_VALUE);
            for (long i = 0; i < n; i++) {
                int o = (int) walk.offset(0);
                long v = ElementAccess.readLong(x, dtype, i);
                acc[o] = sum ? acc[o] + v : max ? Math.max(acc[o], v) : Math.min(acc[o], v);
                walk.advance();
            }
            for (int o = 0; o < outputs; o++) {
                ElementAccess.writeLong(out, dtype, o, acc[o]);
            }
        }
    }

    /** Which input axes are reduced: those of the attribute (negative from the end), or all when none are given. */
    private static boolean[] reducedAxes(KernelCall call, int rank) {
        int[] axes = call.attributes().getOrDefault(Attribute.AXES, new int[0]);
        boolean[] reduced = new boolean[rank];
        if (axes.length == 0) {
            Arrays.fill(reduced, true);
        }
        for (int axis : axes) {
            reduced[axis < 0 ? axis + rank : axis] = true;
        }
        return reduced;
    }

    /** For each input axis, the output stride it moves by: 0 along reduced axes. */
    private static long[] outputStridesPerInputAxis(Operand a, boolean[] reduced) {
        int rank = a.shape().rank();
        long[] strides = new long[rank];
        long stride = 1;
        for (int axis = rank - 1; axis >= 0; axis--) {
            if (!reduced[axis]) {
                strides[axis] = stride;
                stride *= a.shape().dim(axis);
            }
        }
        return strides;
    }
}
