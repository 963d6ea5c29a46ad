package org.tensorbridge;

import java.util.Arrays;

/**
 * The dimensions of a tensor: rank 0 (a scalar) and zero-size dimensions are allowed; negative
 * sizes, and shapes whose element count overflows {@code long}, are rejected with
 * {@link IllegalArgumentException}.
 *
 * <p>Immutable and thread-safe; equal shapes are {@link #equals equal}.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new long[0], 1);

    private final long[] dims;
    private final long elementCount;

    private Shape(long[] dims, long elementCount) {
        this.dims = dims;
        this.elementCount = elementCount;
    }

    /**
     * A shape with the given dimensions; {@code Shape.of()} is the scalar shape.
     *
     * @throws IllegalArgumentException if a dimension is negative or the element count overflows
     */
    public static Shape of(long... dims) {
        if (dims == null) {
            throw new NullPointerException("dims must not be null; use Shape.scalar() for rank 0");
        }
        if (dims.length == 0) {
            return SCALAR;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("dims[" + i + "] is " + dims[i] + " in " + Arrays.toString(dims)
                        + ": dimensions must be 0 or more");
            }
        }
        // A zero dimension makes the count 0, whatever the others multiply to. Loops, not streams: every
        // operation makes a shape.
        boolean empty = false;
        for (long dim : dims) {
            empty |= dim == 0;
        }
        long count = empty ? 0 : 1;
        for (int i = 0; i < dims.length && !empty; i++) {
            try {
                count = Math.multiplyExact(count, dims[i]);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("dims " + Arrays.toString(dims)
                        + " has more than Long.MAX_VALUE elements; use smaller dimensions", e);
            }
        }
        return new Shape(dims.clone(), count);
    }

    /** A shape from {@code int} dimensions, for convenience. */
    public static Shape of(int... dims) {
        if (dims == null) {
            throw new NullPointerException("dims must not be null; use Shape.scalar() for rank 0");
        }
        return of(Arrays.stream(dims).asLongStream().toArray());
    }

    /** The rank-0 shape of a scalar: no dimensions, one element. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /**
     * Size of one dimension.
     *
     * @throws IndexOutOfBoundsException if {@code axis} is not in {@code [0, rank)}
     */
    public long dim(int axis) {
        if (axis < 0 || axis >= dims.length) {
            throw new IndexOutOfBoundsException("axis " + axis + " is out of range for rank " + dims.length
                    + " shape " + this
                    + (dims.length == 0 ? "; a scalar has no axes" : "; use 0 to " + (dims.length - 1)));
        }
        return dims[axis];
    }

    /** Product of the dimensions; 1 for a scalar, 0 if any dimension is 0. */
    public long elementCount() {
        return elementCount;
    }

    /** A copy of the dimensions. */
    public long[] toArray() {
        return dims.clone();
    }

    /**
     * Row-major (C order) strides, in elements. A zero dimension counts as one, as in NumPy; in an empty shape
     * whose other dimensions multiply past {@code Long.MAX_VALUE}, the strides that would overflow are
     * {@code Long.MAX_VALUE} (no element is ever addressed through them).
     */
    public long[] contiguousStrides() {
        long[] strides = new long[dims.length];
        long stride = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = stride;
            long dim = Math.max(dims[i], 1);
            // Only an empty shape can overflow here: a non-empty one's product is its element count.
            stride = stride > Long.MAX_VALUE / dim ? Long.MAX_VALUE : stride * dim;
        }
        return strides;
    }

    /**
     * The NumPy broadcast of two shapes: dimensions are aligned from the right and must be equal
     * or 1.
     *
     * @throws ShapeMismatchException naming both shapes and the first incompatible axis
     */
    public static Shape broadcast(Shape a, Shape b) {
        if (a == null || b == null) {
            throw new NullPointerException((a == null ? "a" : "b")
                    + " must not be null; pass the two shapes to broadcast");
        }
        int rank = Math.max(a.rank(), b.rank());
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            long db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeMismatchException("shapes " + a + " and " + b
                        + " cannot be broadcast: axis " + i + " (from the left of the result) is " + da + " in the first and "
                        + db + " in the second; sizes must be equal or 1. Reshape one operand to make them compatible");
            }
            out[i] = da == 1 ? db : da;
        }
        return of(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [2, 3]}; a scalar is {@code []}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
