package org.tensorbridge.backend.gpu;

import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.op.ShapeRules;
import org.tensorbridge.spi.KernelCall;
import org.tensorbridge.spi.Operand;

/**
 * Sum, mean, max and min over the axes of {@code Attribute.AXES} (every axis without it), by the
 * {@code reduce_*} kernels of {@code typed.cl}: one work-item per result element visits that element's
 * inputs in row-major order, so a floating sum accumulates in the same order as the reference's, in
 * {@code double} where the device has it, and rounds once; integer sums wrap; a mean divides the
 * accumulated sum by the count before that one rounding. Reduced and kept axes are each collapsed
 * (size-1 axes dropped, axes contiguous in the input merged), so the common cases walk one or two axes.
 * {@code keepDims} only changes the result's shape, which the spi computed. The spi never calls these
 * with an empty input or result.
 *
 * <p>Stateless; the methods take the {@link ClQueue} of the locked block they run in.
 */
final class ReductionKernels {
    private ReductionKernels() {
    }

    /** The kernel of a reduction by its combiner: {@code reduce_sum}, {@code reduce_max} or {@code reduce_min}. */
    static String kernel(Operation reduction) {
        Operation combiner = reduction.combiner();
        if (combiner == Operations.ADD) {
            return "reduce_sum";
        }
        if (combiner == Operations.MAXIMUM) {
            return "reduce_max";
        }
        if (combiner == Operations.MINIMUM) {
            return "reduce_min";
        }
        throw new IllegalArgumentException(reduction + " combines with " + combiner + ", which no GPU kernel reduces");
    }

    static void reduce(ClQueue q, KernelCall call, Operand result) {
        Operand a = call.input(0);
        int rank = a.shape().rank();
        boolean[] reduced = ShapeRules.reducedAxes(DenseKernels.types(call), rank);
        long[] strides = a.shape().contiguousStrides();
        long[][] kept = axes(a, strides, reduced, false);
        long[][] summed = axes(a, strides, reduced, true);
        if (summed[0].length == 0) {
            summed = new long[][] {{1}, {0}}; // a rank-0 input, or only size-1 axes reduced: one element each
        }
        int keptRank = kept[0].length;
        int reducedRank = summed[0].length;
        long[] meta = new long[2 * keptRank + 2 * reducedRank];
        System.arraycopy(kept[0], 0, meta, 0, keptRank);
        System.arraycopy(kept[1], 0, meta, keptRank, keptRank);
        System.arraycopy(summed[0], 0, meta, 2 * keptRank, reducedRank);
        System.arraycopy(summed[1], 0, meta, 2 * keptRank + reducedRank, reducedRank);
        long count = 1;
        for (long d : summed[0]) {
            count *= d;
        }
        long outputs = result.shape().elementCount();
        String name = kernel(call.operation());
        try (Scratch axes = q.scratch(meta)) {
            KernelLaunch launch = q.kernel(a.dtype(), name).mem(DenseKernels.device(a)).mem(DenseKernels.device(result))
                    .i64(outputs).i32(keptRank).i32(reducedRank).i64(count);
            if (name.equals("reduce_sum")) {
                launch.i32(call.operation().averages() ? 1 : 0);
            }
            launch.mem(axes).run(outputs);
        }
    }

    /** The dims and input strides of the reduced (or kept) axes, in order, collapsed. */
    private static long[][] axes(Operand a, long[] strides, boolean[] reduced, boolean which) {
        int count = 0;
        for (boolean r : reduced) {
            count += r == which ? 1 : 0;
        }
        long[] dims = new long[count];
        long[] own = new long[count];
        for (int axis = 0, at = 0; axis < reduced.length; axis++) {
            if (reduced[axis] == which) {
                dims[at] = a.shape().dim(axis);
                own[at++] = strides[axis];
            }
        }
        return DenseKernels.collapse(dims, own);
    }
}
