package org.tensorbridge.arrow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * Row-major copies of strided host memory: the logical tensor of a permuted
 * {@code arrow.fixed_shape_tensor} column (the stored elements transposed: axis {@code i} of the result
 * is axis {@code permutation[i]} of the stored tensor, as {@code numpy.transpose(stored, permutation)}),
 * and the elements of an Arrow {@code Tensor} message whose strides are not row-major (a transposed or
 * Fortran-order array, as pyarrow writes it). The copy is a new direct buffer, which becomes a tensor
 * through {@link Backend#fromBuffer(ByteBuffer, DType, Shape, CopyPolicy)}.
 *
 * <p>Written here because the api has no transpose or strided view yet; once it has,
 * {@code tensor.transpose(permutation)} over the shared stored tensor replaces this class.
 * Stateless and thread-safe; the source must not change while it is copied.
 */
final class StridedCopy {
    private StridedCopy() {
    }

    /** The shape of the result: {@code stored[permutation[i]]} at position {@code i}. */
    static Shape transposedShape(Shape stored, int[] permutation) {
        long[] dims = new long[permutation.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = stored.dim(permutation[i]);
        }
        return Shape.of(dims);
    }

    /**
     * A new tensor of {@code backend} holding {@code source} (native-order elements of {@code dtype} in
     * row-major order over {@code stored}) transposed by {@code permutation}; the source is read, never
     * kept.
     */
    static Tensor of(ByteBuffer source, DType dtype, Shape stored, int[] permutation, Backend backend) {
        return backend.fromBuffer(transposed(source, dtype, stored, permutation), dtype,
                transposedShape(stored, permutation), CopyPolicy.IF_NEEDED);
    }

    /** The elements of {@link #of}, in a new direct, native-order buffer. */
    static ByteBuffer transposed(ByteBuffer source, DType dtype, Shape stored, int[] permutation) {
        return gathered(source, dtype, transposedShape(stored, permutation), sourceStrides(stored, permutation));
    }

    /**
     * The elements of {@code shape} read from {@code source} at the given strides (in elements, each 0 or
     * more; the caller checks that every element lies inside the source), in a new direct, native-order
     * buffer in row-major order.
     */
    static ByteBuffer gathered(ByteBuffer source, DType dtype, Shape shape, long[] strides) {
        long bytes = shape.elementCount() * dtype.byteWidth();
        if (bytes > Integer.MAX_VALUE) {
            throw new ArrowLayoutException("the row-major copy of " + dtype.displayName() + shape + " needs "
                    + bytes + " bytes, more than one buffer holds (2 GiB); import it in smaller record batches");
        }
        ByteBuffer target = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
        copy(source.duplicate().order(ByteOrder.nativeOrder()), target, dtype.byteWidth(), shape, strides);
        return target;
    }

    /** For each axis of the result, the distance in source elements between neighbours along it. */
    private static long[] sourceStrides(Shape stored, int[] permutation) {
        long[] storedStrides = stored.contiguousStrides();
        long[] strides = new long[permutation.length];
        for (int i = 0; i < strides.length; i++) {
            strides[i] = storedStrides[permutation[i]];
        }
        return strides;
    }

    /** Walks the result in row-major order (an odometer over its index), reading each element where it is stored. */
    private static void copy(ByteBuffer source, ByteBuffer target, int width, Shape shape, long[] strides) {
        long count = shape.elementCount();
        if (count == 0) {
            return;
        }
        int rank = shape.rank();
        long[] index = new long[rank];
        long from = 0;
        for (long to = 0; to < count; to++) {
            copyElement(source, (int) (from * width), target, (int) (to * width), width);
            for (int axis = rank - 1; axis >= 0; axis--) {
                index[axis]++;
                from += strides[axis];
                if (index[axis] < shape.dim(axis)) {
                    break;
                }
                from -= strides[axis] * index[axis];
                index[axis] = 0;
            }
        }
    }

    private static void copyElement(ByteBuffer source, int from, ByteBuffer target, int to, int width) {
        switch (width) {
            case 1 -> target.put(to, source.get(from));
            case 2 -> target.putShort(to, source.getShort(from));
            case 4 -> target.putInt(to, source.getInt(from));
            default -> target.putLong(to, source.getLong(from));
        }
    }
}
