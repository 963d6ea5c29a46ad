package org.tensorbridge.backend.reference;

import org.tensorbridge.Shape;

/**
 * Walks a shape's elements in row-major order and keeps, for each of several operands, the element it
 * reads there through its own strides (0 along a broadcast axis, permuted for a transpose). Not
 * thread-safe; one per walk.
 */
final class Odometer {
    private final long[] dims;
    private final long[][] strides;
    private final long[] index;
    private final long[] offsets;

    /** A walk over {@code shape}, with one stride vector (aligned to its rank) per operand. */
    Odometer(Shape shape, long[]... strides) {
        this.dims = shape.toArray();
        this.strides = strides;
        this.index = new long[dims.length];
        this.offsets = new long[strides.length];
    }

    /** The element operand {@code k} reads at the current position. */
    long offset(int k) {
        return offsets[k];
    }

    /** Moves to the next position in row-major order. */
    void advance() {
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            index[axis]++;
            for (int k = 0; k < strides.length; k++) {
                offsets[k] += strides[k][axis];
            }
            if (index[axis] < dims[axis]) {
                return;
            }
            for (int k = 0; k < strides.length; k++) {
                offsets[k] -= strides[k][axis] * index[axis];
            }
            index[axis] = 0;
        }
    }
}
