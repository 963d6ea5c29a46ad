package org.tensorbridge;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns Java primitive arrays, flat or nested, into a direct native-order buffer with a dtype and
 * a shape: the one copy every "tensor from a Java array" needs.
 */
final class JavaArrays {
    private JavaArrays() {
    }

    /** Elements of a Java array, ready for {@link Backend#fromBuffer}. */
    record Encoded(ByteBuffer buffer, DType dtype, Shape shape) {
    }

    static Encoded flat(Object data, long[] dims) {
        if (data == null) {
            throw new NullPointerException("data must not be null");
        }
        if (dims == null) {
            throw new NullPointerException("shape must not be null; omit it for a rank-1 tensor");
        }
        int length = Array.getLength(data);
        Shape shape = dims.length == 0 ? Shape.of(length) : Shape.of(dims);
        if (shape.elementCount() != length) {
            throw new ShapeMismatchException("data has " + length + " elements but shape " + shape + " needs "
                    + shape.elementCount() + "; pass a shape whose product is " + length);
        }
        DType dtype = dtypeOf(data.getClass().getComponentType());
        ByteBuffer buffer = allocate(shape, dtype);
        put(buffer, data);
        return new Encoded(buffer.flip(), dtype, shape);
    }

    static Encoded nested(Object data) {
        if (data == null) {
            throw new NullPointerException("data must not be null");
        }
        Class<?> leaf = data.getClass();
        int rank = 0;
        while (leaf.isArray()) {
            leaf = leaf.getComponentType();
            rank++;
        }
        long[] dims = new long[rank];
        Object row = data;
        for (int axis = 0; axis < rank; axis++) {
            int length = row == null ? 0 : Array.getLength(row);
            dims[axis] = length;
            row = length > 0 ? Array.get(row, 0) : null;
        }
        DType dtype = dtypeOf(leaf);
        // The first rows set the dimensions, so a ragged array must be found before the shape is
        // made and memory allocated for it: its first rows may claim more elements than it has.
        checkRectangular(data, dims, 0, "data");
        Shape shape = Shape.of(dims);
        ByteBuffer buffer = allocate(shape, dtype);
        putNested(buffer, data, dims.length, 0);
        return new Encoded(buffer.flip(), dtype, shape);
    }

    private static void checkRectangular(Object array, long[] dims, int axis, String path) {
        if (array == null) {
            throw new NullPointerException(path + " is null; every row must be present");
        }
        int length = Array.getLength(array);
        if (length != dims[axis]) {
            throw new ShapeMismatchException(path + " has length " + length + " but the first row at this depth has "
                    + dims[axis] + "; the array is ragged. Make every row the same length");
        }
        if (axis == dims.length - 1) {
            return;
        }
        for (int i = 0; i < length; i++) {
            checkRectangular(Array.get(array, i), dims, axis + 1, path + "[" + i + "]");
        }
    }

    private static void putNested(ByteBuffer buffer, Object array, int rank, int axis) {
        if (axis == rank - 1) {
            put(buffer, array);
            return;
        }
        int length = Array.getLength(array);
        for (int i = 0; i < length; i++) {
            putNested(buffer, Array.get(array, i), rank, axis + 1);
        }
    }

    private static ByteBuffer allocate(Shape shape, DType dtype) {
        long bytes = shape.elementCount() * dtype.byteWidth();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("data of shape " + shape + " needs " + bytes
                    + " bytes; Java arrays convert up to 2 GiB per tensor. Split the data");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }

    private static DType dtypeOf(Class<?> component) {
        if (component == boolean.class) {
            return DType.BOOL;
        } else if (component == byte.class) {
            return DType.INT8;
        } else if (component == short.class) {
            return DType.INT16;
        } else if (component == int.class) {
            return DType.INT32;
        } else if (component == long.class) {
            return DType.INT64;
        } else if (component == float.class) {
            return DType.FLOAT32;
        } else if (component == double.class) {
            return DType.FLOAT64;
        }
        throw new IllegalArgumentException("data has element type " + component
                + "; use an array of boolean, byte, short, int, long, float or double");
    }

    private static void put(ByteBuffer buffer, Object array) {
        if (array instanceof float[] a) {
            buffer.asFloatBuffer().put(a);
            buffer.position(buffer.position() + a.length * Float.BYTES);
        } else if (array instanceof double[] a) {
            buffer.asDoubleBuffer().put(a);
            buffer.position(buffer.position() + a.length * Double.BYTES);
        } else if (array instanceof int[] a) {
            buffer.asIntBuffer().put(a);
            buffer.position(buffer.position() + a.length * Integer.BYTES);
        } else if (array instanceof long[] a) {
            buffer.asLongBuffer().put(a);
            buffer.position(buffer.position() + a.length * Long.BYTES);
        } else if (array instanceof short[] a) {
            buffer.asShortBuffer().put(a);
            buffer.position(buffer.position() + a.length * Short.BYTES);
        } else if (array instanceof byte[] a) {
            buffer.put(a);
        } else if (array instanceof boolean[] a) {
            for (boolean b : a) {
                buffer.put((byte) (b ? 1 : 0));
            }
        } else {
            throw new IllegalArgumentException("data is a " + array.getClass().getSimpleName()
                    + "; use an array of boolean, byte, short, int, long, float or double");
        }
    }

    /** Sparse index rows flattened row-major, each checked to have one entry per dense dimension. */
    static long[] indexRows(long[][] indices, long[] denseShape) {
        if (indices == null) {
            throw new NullPointerException("indices must not be null; use new long[0][] for no elements");
        }
        if (denseShape == null) {
            throw new NullPointerException("denseShape must not be null");
        }
        int rank = denseShape.length;
        long[] flat = new long[Math.multiplyExact(indices.length, rank)];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] == null) {
                throw new NullPointerException("indices[" + i + "] is null; every stored element needs an index");
            }
            if (indices[i].length != rank) {
                throw new ShapeMismatchException("indices[" + i + "] has " + indices[i].length
                        + " coordinates but the dense shape " + java.util.Arrays.toString(denseShape) + " has rank " + rank
                        + "; give one coordinate per dimension");
            }
            System.arraycopy(indices[i], 0, flat, i * rank, rank);
        }
        return flat;
    }
}
