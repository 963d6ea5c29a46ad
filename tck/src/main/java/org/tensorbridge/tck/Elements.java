package org.tensorbridge.tck;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorbridge.BFloat16;
import org.tensorbridge.DType;
import org.tensorbridge.Float16;
import org.tensorbridge.Shape;

/**
 * Element-level reads and writes of any dtype in native-order buffers, for building and checking data.
 * Deliberately not the spi's {@code ElementAccess}: the kit builds its inputs and references with code
 * of its own, so that a bug in the toolkit under test cannot also sit in the kit's expectations.
 */
final class Elements {
    private Elements() {
    }

    static ByteBuffer buffer(DType dtype, double[] values) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * dtype.byteWidth()).order(ByteOrder.nativeOrder());
        for (int i = 0; i < values.length; i++) {
            put(buffer, dtype, i, values[i]);
        }
        return buffer;
    }

    static void put(ByteBuffer buffer, DType dtype, int index, double value) {
        int at = index * dtype.byteWidth();
        switch (dtype) {
            case BOOL -> buffer.put(at, (byte) (value != 0 ? 1 : 0));
            case INT8, UINT8 -> buffer.put(at, (byte) (long) value);
            case INT16 -> buffer.putShort(at, (short) (long) value);
            case INT32 -> buffer.putInt(at, (int) (long) value);
            case INT64 -> buffer.putLong(at, (long) value);
            case FLOAT16 -> buffer.putShort(at, Float16.fromFloat((float) value));
            case BFLOAT16 -> buffer.putShort(at, BFloat16.fromFloat((float) value));
            case FLOAT32 -> buffer.putFloat(at, (float) value);
            case FLOAT64 -> buffer.putDouble(at, value);
            default -> throw new AssertionError(dtype);
        }
    }

    static double get(ByteBuffer buffer, DType dtype, int index) {
        int at = index * dtype.byteWidth();
        return switch (dtype) {
            case BOOL -> buffer.get(at) != 0 ? 1 : 0;
            case INT8 -> buffer.get(at);
            case UINT8 -> buffer.get(at) & 0xff;
            case INT16 -> buffer.getShort(at);
            case INT32 -> buffer.getInt(at);
            case INT64 -> buffer.getLong(at);
            case FLOAT16 -> Float16.toFloat(buffer.getShort(at));
            case BFLOAT16 -> BFloat16.toFloat(buffer.getShort(at));
            case FLOAT32 -> buffer.getFloat(at);
            case FLOAT64 -> buffer.getDouble(at);
        };
    }

    /** The row-major multi-index of a flat position. */
    static long[] index(Shape shape, long flat) {
        long[] index = new long[shape.rank()];
        for (int axis = shape.rank() - 1; axis >= 0; axis--) {
            index[axis] = flat % shape.dim(axis);
            flat /= shape.dim(axis);
        }
        return index;
    }

    /** 0, 1, 2, ... as values of {@code dtype} (wrapping for narrow integers, 0/1 for bool). */
    static double[] sequence(DType dtype, int count) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = switch (dtype) {
                case BOOL -> i % 2;
                case INT8 -> (byte) i;
                case UINT8 -> i & 0xff;
                case FLOAT16, BFLOAT16 -> i % 64;
                default -> i;
            };
        }
        return values;
    }
}
