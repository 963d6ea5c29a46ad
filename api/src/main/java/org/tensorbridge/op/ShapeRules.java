package org.tensorbridge.op;

import java.util.Arrays;
import org.tensorbridge.DenseSizeLimitException;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;

/**
 * The built-in shape functions. Each works on dimensions that may be unknown ({@code -1}): what is
 * known is checked, the rest is left unknown in the result and checked when a graph runs, with
 * concrete sizes, through the same function. Stateless.
 */
public final class ShapeRules {
    private ShapeRules() {
    }

    /** The first input's dimensions: unary elementwise operations, casts, sparse conversions. */
    public static final ShapeRule SAME = call -> call.dims(0);

    /** NumPy broadcasting of every input: dimensions aligned from the right, equal or 1. */
    public static final ShapeRule BROADCAST = call -> {
        long[] out = call.dims(0);
        for (int i = 1; i < call.size(); i++) {
            out = broadcast(call, out, call.dims(i));
        }
        return out;
    };

    private static long[] broadcast(OperandTypes call, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da >= 0 && db >= 0) {
                if (da != db && da != 1 && db != 1) {
                    throw new ShapeMismatchException(call.call() + ": shapes " + Dims.format(a) + " and "
                            + Dims.format(b) + " cannot be broadcast at axis " + i + " (" + da + " vs " + db
                            + "); sizes must be equal or 1. Reshape one operand to make them compatible");
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

    /** {@code [m, k] x [k, n] -> [m, n]}, dense or sparse left operand. */
    public static final ShapeRule MATMUL = call -> {
        long[] a = call.dims(0);
        long[] b = call.dims(1);
        if (a.length != 2 || b.length != 2) {
            throw new ShapeMismatchException(call.call() + " needs rank-2 operands but " + call.describe(0) + " and "
                    + call.describe(1) + "; reshape them to [m, k] and [k, n]");
        }
        if (a[1] >= 0 && b[0] >= 0 && a[1] != b[0]) {
            throw new ShapeMismatchException(call.call() + ": " + call.describe(0) + " and " + call.describe(1) + "; "
                    + call.name(0) + "'s columns (" + a[1] + ") must equal " + call.name(1) + "'s rows (" + b[0] + ")");
        }
        return new long[] {a[0], b[1]};
    };

    /**
     * {@link Attribute#DIMS} with at most one {@code -1}, inferred from the element count; the count
     * must stay the same.
     */
    public static final ShapeRule RESHAPE = call -> {
        long[] from = call.dims(0);
        long[] to = call.attributes().get(Attribute.DIMS);
        // A zero dimension makes the count 0, however large the others multiply to. A loop: every reshape runs this.
        boolean empty = false;
        for (long dim : to) {
            empty |= dim == 0;
        }
        int inferred = -1;
        long product = empty ? 0 : 1;
        for (int i = 0; i < to.length; i++) {
            if (to[i] == -1) {
                if (inferred >= 0) {
                    throw new ShapeMismatchException("dims " + Arrays.toString(to) + " has more than one -1; at most "
                            + "one dimension can be inferred");
                }
                inferred = i;
            } else if (to[i] < 0) {
                throw new IllegalArgumentException("dims[" + i + "] is " + to[i] + " in " + Arrays.toString(to)
                        + "; dimensions must be 0 or more, or -1 to infer one");
            } else if (!empty) {
                if (product > Long.MAX_VALUE / to[i]) {
                    throw new ShapeMismatchException("cannot reshape " + Dims.format(from) + " to "
                            + Arrays.toString(to) + ": the dimensions multiply to more than Long.MAX_VALUE elements; "
                            + "give dimensions whose product is the element count");
                }
                product *= to[i];
            }
        }
        if (!Dims.isKnown(from)) {
            return to;
        }
        long count = Shape.of(from).elementCount();
        long[] out = to.clone();
        if (inferred >= 0) {
            if (product == 0 || count % product != 0) {
                throw new ShapeMismatchException("cannot reshape " + Dims.format(from) + " to " + Arrays.toString(to)
                        + ": " + count + " elements do not divide into the known dimensions' product " + product);
            }
            out[inferred] = count / product;
        } else if (product != count) {
            throw new ShapeMismatchException("cannot reshape " + Dims.format(from) + " (" + count + " elements) to "
                    + Arrays.toString(to) + " (" + product + " elements); the element count must stay the same");
        }
        return out;
    };

    /** Dimensions reordered by {@link Attribute#PERMUTATION}, or reversed when it is not set. */
    public static final ShapeRule TRANSPOSE = call -> {
        long[] dims = call.dims(0);
        int[] order = permutation(call, dims.length);
        long[] out = new long[dims.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = dims[order[i]];
        }
        return out;
    };

    /**
     * The permutation of a transpose of rank {@code rank}: the attribute with negative axes counted
     * from the end, checked to hold every axis once; the reversed axes when it is not set.
     */
    public static int[] permutation(OperandTypes call, int rank) {
        if (!call.attributes().has(Attribute.PERMUTATION)) {
            int[] reversed = new int[rank];
            for (int i = 0; i < rank; i++) {
                reversed[i] = rank - 1 - i;
            }
            return reversed;
        }
        int[] order = call.attributes().get(Attribute.PERMUTATION);
        if (order.length != rank) {
            throw new IllegalArgumentException(call.call() + ": permutation " + Arrays.toString(order) + " has "
                    + order.length + " axes but " + call.describe(0) + " has rank " + rank + "; give each axis once");
        }
        return normalizedAxes(call, order, rank, "permutation");
    }

    /** Sum, mean: reduced axes removed, or kept as size 1 under {@link Attribute#KEEP_DIMS}. */
    public static final ShapeRule REDUCE = call -> reduce(call, false);

    /** Max, min: as {@link #REDUCE}, and a reduced axis must not be empty (no identity element). */
    public static final ShapeRule REDUCE_NON_EMPTY = call -> reduce(call, true);

    private static long[] reduce(OperandTypes call, boolean needsElements) {
        long[] dims = call.dims(0);
        boolean[] reduced = reducedAxes(call, dims.length);
        boolean keep = call.attributes().getOrDefault(Attribute.KEEP_DIMS, false);
        long[] out = new long[dims.length];
        int rank = 0;
        for (int axis = 0; axis < dims.length; axis++) {
            if (!reduced[axis]) {
                out[rank++] = dims[axis];
            } else {
                if (needsElements && dims[axis] == 0) {
                    throw new ShapeMismatchException(call.call() + ": " + call.describe(0) + " is empty along axis "
                            + axis + " and " + call.operation().name() + " of no elements is undefined; reduce only "
                            + "non-empty axes");
                }
                if (keep) {
                    out[rank++] = 1;
                }
            }
        }
        return Arrays.copyOf(out, rank);
    }

    /**
     * Which axes a reduction of rank {@code rank} reduces: those of {@link Attribute#AXES} (negative
     * ones counted from the end), or every axis when none are given.
     */
    public static boolean[] reducedAxes(OperandTypes call, int rank) {
        int[] axes = call.attributes().getOrDefault(Attribute.AXES, new int[0]);
        boolean[] reduced = new boolean[rank];
        if (axes.length == 0) {
            Arrays.fill(reduced, true);
            return reduced;
        }
        for (int axis : normalizedAxes(call, axes, rank, "axes")) {
            reduced[axis] = true;
        }
        return reduced;
    }

    private static int[] normalizedAxes(OperandTypes call, int[] axes, int rank, String argument) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            int axis = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (axis < 0 || axis >= rank) {
                throw new IllegalArgumentException(call.call() + ": " + argument + "[" + i + "] is " + axes[i] + " but "
                        + call.describe(0) + " has rank " + rank + "; use " + -rank + " to " + (rank - 1));
            }
            if (seen[axis]) {
                throw new IllegalArgumentException(call.call() + ": " + argument + " " + Arrays.toString(axes)
                        + " names axis " + axis + " twice; give each axis once");
            }
            seen[axis] = true;
            out[i] = axis;
        }
        return out;
    }

    // ---- sparse ----

    /** Densification: the dense dimensions, refused past {@link Attribute#MAX_ELEMENTS} once they are known. */
    public static final ShapeRule TO_DENSE = call -> {
        long[] dims = call.dims(0);
        long maxElements = call.attributes().get(Attribute.MAX_ELEMENTS);
        if (maxElements < 0) {
            throw new IllegalArgumentException("maxElements is " + maxElements + "; give the largest dense element "
                    + "count you accept, 0 or more");
        }
        if (Dims.isKnown(dims)) {
            Shape shape = Shape.of(dims);
            long elements = shape.elementCount();
            if (elements > maxElements) {
                int width = call.dtype(0).byteWidth();
                String bytes = elements > Long.MAX_VALUE / width ? "more than 2^63" : Long.toString(elements * width);
                throw new DenseSizeLimitException("toDense: the dense shape " + shape + " has " + elements
                        + " elements (" + bytes + " bytes of " + call.dtype(0).displayName() + ") but maxElements is "
                        + maxElements + "; raise maxElements if that fits in memory, or keep working on the sparse "
                        + "tensor");
            }
        }
        return dims;
    };

    /** Inputs of equal dimensions (no broadcasting): sparse addition. */
    public static final ShapeRule EQUAL = call -> {
        long[] a = call.dims(0);
        for (int i = 1; i < call.size(); i++) {
            long[] b = call.dims(i);
            boolean fits = a.length == b.length;
            for (int d = 0; fits && d < a.length; d++) {
                fits = a[d] < 0 || b[d] < 0 || a[d] == b[d];
            }
            if (!fits) {
                throw new ShapeMismatchException(call.call() + ": " + call.describe(0) + " and " + call.describe(i)
                        + " differ; this operation needs equal dense shapes");
            }
        }
        return a;
    };

    /** The first input's dimensions, the second a rank-0 scalar: sparse times a scalar. */
    public static final ShapeRule SCALED = call -> {
        if (call.dims(1).length != 0) {
            throw new ShapeMismatchException(call.call() + ": " + call.describe(1) + " must be a rank-0 scalar");
        }
        return call.dims(0);
    };

    /** A rank-2 transpose: {@code [m, n] -> [n, m]}. */
    public static final ShapeRule TRANSPOSE_MATRIX = call -> {
        long[] dims = call.dims(0);
        if (dims.length != 2) {
            throw new ShapeMismatchException(call.call() + ": " + call.describe(0) + " is not rank 2; this transpose "
                    + "is defined for rank-2 sparse tensors");
        }
        return new long[] {dims[1], dims[0]};
    };

    /** The dense dimensions without {@link Attribute#AXIS}: the sparse sum. */
    public static final ShapeRule DROP_AXIS = call -> {
        long[] dims = call.dims(0);
        int axis = call.attributes().get(Attribute.AXIS);
        if (axis < 0 || axis >= dims.length) {
            throw new IllegalArgumentException("axis is " + axis + " but " + call.describe(0) + " has rank "
                    + dims.length + "; use 0 to " + (dims.length - 1));
        }
        long[] out = new long[dims.length - 1];
        for (int d = 0, r = 0; d < dims.length; d++) {
            if (d != axis) {
                out[r++] = dims[d];
            }
        }
        return out;
    };
}
