package org.tensorbridge.memory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.tensorbridge.BFloat16;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.DType;
import org.tensorbridge.Float16;

/**
 * Encodes a Java {@link Number} as one element of a dtype. Integer dtypes take only integral
 * values in range; floating dtypes round to nearest but refuse a finite value that overflows.
 */
public final class ScalarCodec {
    private ScalarCodec() {
    }

    /** One element of {@code dtype}, native byte order, position 0. */
    public static ByteBuffer encode(Number value, DType dtype, String argument) {
        if (value == null) {
            throw new NullPointerException(argument + " must not be null");
        }
        ByteBuffer out = ByteBuffer.allocate(dtype.byteWidth()).order(ByteOrder.nativeOrder());
        switch (dtype) {
            case BOOL -> out.put((byte) integral(value, dtype, argument, 0, 1));
            case INT8 -> out.put((byte) integral(value, dtype, argument, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case UINT8 -> out.put((byte) integral(value, dtype, argument, 0, 255));
            case INT16 -> out.putShort((short) integral(value, dtype, argument, Short.MIN_VALUE, Short.MAX_VALUE));
            case INT32 -> out.putInt((int) integral(value, dtype, argument, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case INT64 -> out.putLong(integral(value, dtype, argument, Long.MIN_VALUE, Long.MAX_VALUE));
            case FLOAT16 -> out.putShort(finite(Float16.fromFloat(ElementAccess.roundToOdd(value.doubleValue())), value, dtype, argument));
            case BFLOAT16 -> out.putShort(finite(BFloat16.fromFloat(ElementAccess.roundToOdd(value.doubleValue())), value, dtype,
                    argument));
            case FLOAT32 -> out.putFloat(finite((float) value.doubleValue(), value, dtype, argument));
            case FLOAT64 -> out.putDouble(finite(value.doubleValue(), value, dtype, argument));
            default -> throw new AssertionError(dtype);
        }
        return out.flip();
    }

    private static long integral(Number value, DType dtype, String argument, long min, long max) {
        long asLong;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof AtomicInteger || value instanceof AtomicLong) {
            asLong = value.longValue();
        } else if (value instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw outOfRange(value, dtype, argument, min, max);
            }
            asLong = big.longValueExact();
        } else if (value instanceof BigDecimal decimal) {
            // Exact: BigDecimal's doubleValue() would round 2.0000000000000000001 to 2.
            BigDecimal stripped = decimal.stripTrailingZeros();
            if (stripped.scale() > 0) {
                throw notIntegral(value, dtype, argument);
            }
            if (stripped.toBigInteger().bitLength() > 63) {
                throw outOfRange(value, dtype, argument, min, max);
            }
            asLong = stripped.longValueExact();
        } else if (!(value instanceof Double || value instanceof Float)) {
            // Any other Number (LongAdder, a user's type): read it exactly from its decimal text when it has one.
            BigDecimal exact;
            try {
                exact = new BigDecimal(value.toString());
            } catch (NumberFormatException noDecimalText) {
                throw new DTypeMismatchException(argument + " is a " + value.getClass().getName() + " whose value "
                        + "cannot be read exactly; pass a Long, Integer or BigInteger");
            }
            return integral(exact, dtype, argument, min, max);
        } else {
            double d = value.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
                throw notIntegral(value, dtype, argument);
            }
            if (d < -0x1p63 || d >= 0x1p63) {
                throw outOfRange(value, dtype, argument, min, max);
            }
            asLong = (long) d;
        }
        if (asLong < min || asLong > max) {
            throw outOfRange(value, dtype, argument, min, max);
        }
        return asLong;
    }

    private static DTypeMismatchException notIntegral(Number value, DType dtype, String argument) {
        return new DTypeMismatchException(argument + " is " + value + ", which a " + dtype.displayName()
                + " tensor cannot hold exactly; cast the tensor to a floating dtype first, or pass an integer");
    }

    private static DTypeMismatchException outOfRange(Number value, DType dtype, String argument, long min, long max) {
        return new DTypeMismatchException(argument + " is " + value + ", outside the range of " + dtype.displayName()
                + " [" + min + ", " + max + "]; cast the tensor to a wider dtype first");
    }

    private static short finite(short bits, Number value, DType dtype, String argument) {
        float decoded = dtype == DType.FLOAT16 ? Float16.toFloat(bits) : BFloat16.toFloat(bits);
        finite((double) decoded, value, dtype, argument);
        return bits;
    }

    private static float finite(float encoded, Number value, DType dtype, String argument) {
        finite((double) encoded, value, dtype, argument);
        return encoded;
    }

    /** Refuses a finite value that became infinite in {@code dtype}; infinities and NaN pass as they are. */
    private static double finite(double encoded, Number value, DType dtype, String argument) {
        boolean infiniteInput = (value instanceof Double v && v.isInfinite()) || (value instanceof Float f && f.isInfinite());
        if (Double.isInfinite(encoded) && !infiniteInput) {
            throw new DTypeMismatchException(argument + " is " + value + ", beyond the largest finite "
                    + dtype.displayName() + (dtype == DType.FLOAT64 ? "" : "; cast the tensor to float64 first"));
        }
        return encoded;
    }
}
