package org.tensorbridge.memory;

import java.nio.ByteBuffer;
import org.tensorbridge.BFloat16;
import org.tensorbridge.DType;
import org.tensorbridge.Float16;

/**
 * The one element codec of the toolkit: reads and writes one element of any dtype at an element
 * index of a native-order buffer, as a {@code double} (floating dtypes) or a {@code long} (integer and
 * bool dtypes), for host arrays and for host kernels that handle every dtype with one loop. Integer writes keep the low bits (wrapping as Java does); a bool
 * write stores {@code value != 0}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ElementAccess {
    private ElementAccess() {
    }

    /** The element as a double: exact for every dtype except int64 beyond 2^53. */
    public static double readDouble(ByteBuffer buffer, DType dtype, long index) {
        int at = Math.toIntExact(index * dtype.byteWidth());
        return switch (dtype) {
            case FLOAT16 -> Float16.toFloat(buffer.getShort(at));
            case BFLOAT16 -> BFloat16.toFloat(buffer.getShort(at));
            case FLOAT32 -> buffer.getFloat(at);
            case FLOAT64 -> buffer.getDouble(at);
            default -> readLong(buffer, dtype, index);
        };
    }

    /** The element of an integer or bool dtype as a long ({@code uint8} as 0 to 255, bool as 0 or 1); floats truncate. */
    public static long readLong(ByteBuffer buffer, DType dtype, long index) {
        int at = Math.toIntExact(index * dtype.byteWidth());
        return switch (dtype) {
            case BOOL -> buffer.get(at) != 0 ? 1 : 0;
            case INT8 -> buffer.get(at);
            case UINT8 -> buffer.get(at) & 0xff;
            case INT16 -> buffer.getShort(at);
            case INT32 -> buffer.getInt(at);
            case INT64 -> buffer.getLong(at);
            default -> (long) readDouble(buffer, dtype, index);
        };
    }

    /**
     * Writes {@code value} converted to {@code dtype}: rounded once to nearest (ties to even) for
     * floating dtypes, truncated for integers.
     */
    public static void writeDouble(ByteBuffer buffer, DType dtype, long index, double value) {
        int at = Math.toIntExact(index * dtype.byteWidth());
        switch (dtype) {
            case FLOAT16 -> buffer.putShort(at, Float16.fromFloat(roundToOdd(value)));
            case BFLOAT16 -> buffer.putShort(at, BFloat16.fromFloat(roundToOdd(value)));
            case FLOAT32 -> buffer.putFloat(at, (float) value);
            case FLOAT64 -> buffer.putDouble(at, value);
            case BOOL -> buffer.put(at, (byte) (value != 0 ? 1 : 0));
            default -> writeLong(buffer, dtype, index, (long) value);
        }
    }

    /** Writes {@code value} converted to {@code dtype}: low bits for integers, {@code != 0} for bool. */
    public static void writeLong(ByteBuffer buffer, DType dtype, long index, long value) {
        int at = Math.toIntExact(index * dtype.byteWidth());
        switch (dtype) {
            case BOOL -> buffer.put(at, (byte) (value != 0 ? 1 : 0));
            case INT8, UINT8 -> buffer.put(at, (byte) value);
            case INT16 -> buffer.putShort(at, (short) value);
            case INT32 -> buffer.putInt(at, (int) value);
            case INT64 -> buffer.putLong(at, value);
            default -> writeDouble(buffer, dtype, index, value);
        }
    }

    /** {@code target[targetIndex] += source[sourceIndex] * factor}, in long arithmetic for integer dtypes. */
    public static void addProduct(ByteBuffer target, long targetIndex, ByteBuffer source, long sourceIndex,
            ByteBuffer factor, long factorIndex, DType dtype) {
        if (dtype.isFloatingPoint()) {
            writeDouble(target, dtype, targetIndex, readDouble(target, dtype, targetIndex)
                    + readDouble(source, dtype, sourceIndex) * readDouble(factor, dtype, factorIndex));
        } else {
            writeLong(target, dtype, targetIndex, readLong(target, dtype, targetIndex)
                    + readLong(source, dtype, sourceIndex) * readLong(factor, dtype, factorIndex));
        }
    }

    /** {@code target[targetIndex] += source[sourceIndex]}; for bool this is a logical or. */
    public static void add(ByteBuffer target, long targetIndex, ByteBuffer source, long sourceIndex, DType dtype) {
        if (dtype.isFloatingPoint()) {
            writeDouble(target, dtype, targetIndex,
                    readDouble(target, dtype, targetIndex) + readDouble(source, dtype, sourceIndex));
        } else {
            writeLong(target, dtype, targetIndex, readLong(target, dtype, targetIndex) + readLong(source, dtype, sourceIndex));
        }
    }

    /** True if the element is zero (either sign for floating dtypes). */
    public static boolean isZero(ByteBuffer buffer, DType dtype, long index) {
        return dtype.isFloatingPoint() ? readDouble(buffer, dtype, index) == 0 : readLong(buffer, dtype, index) == 0;
    }

    /** {@code value} rounded once to {@code dtype}'s precision (to nearest, ties to even), as a double. */
    public static double round(DType dtype, double value) {
        return switch (dtype) {
            case FLOAT64 -> value;
            case FLOAT32 -> (float) value;
            case FLOAT16 -> Float16.toFloat(Float16.fromFloat(roundToOdd(value)));
            case BFLOAT16 -> BFloat16.toFloat(BFloat16.fromFloat(roundToOdd(value)));
            default -> throw new IllegalArgumentException(dtype + " is not a floating dtype");
        };
    }

    /**
     * {@code value} rounded to float "to odd" (truncated, with the last bit set when inexact), so that
     * rounding the float again to float16 or bfloat16 gives the correctly rounded result of the double:
     * one rounding, not two.
     */
    static float roundToOdd(double value) {
        float nearest = (float) value;
        if ((double) nearest == value || Float.isInfinite(nearest) || Double.isNaN(value)) {
            return nearest;
        }
        int bits = Float.floatToRawIntBits(nearest);
        if (Math.abs((double) nearest) > Math.abs(value)) {
            bits--; // one step toward zero: the truncated value
        }
        return Float.intBitsToFloat(bits | 1);
    }
}
