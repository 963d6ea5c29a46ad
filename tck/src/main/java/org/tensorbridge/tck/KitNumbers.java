package org.tensorbridge.tck;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.tensorbridge.BFloat16;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Float16;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * Exact element values for the rules of the operation set (12.x), with the kit's own codec: integers
 * as {@code long}s (no detour through {@code double}, which loses int64), floating values as
 * {@code double}s, rounding to a dtype, ulp distances, and the special values every rule feeds. Stateless.
 */
final class KitNumbers {
    private KitNumbers() {
    }

    /** {@code value} wrapped to the width of integer {@code dtype}, as two's complement stores it. */
    static long wrap(DType dtype, long value) {
        return switch (dtype) {
            case INT8 -> (byte) value;
            case UINT8 -> value & 0xff;
            case INT16 -> (short) value;
            case INT32 -> (int) value;
            case BOOL -> value != 0 ? 1 : 0;
            default -> value;
        };
    }

    /**
     * {@code value} rounded once to floating {@code dtype}, to nearest with ties to even. For float16 and
     * bfloat16 the double goes to float rounded "to odd" first, so that the second rounding is exact:
     * rounding to float to nearest would make ties that are not there.
     */
    static double round(DType dtype, double value) {
        return switch (dtype) {
            case FLOAT64 -> value;
            case FLOAT32 -> (float) value;
            case FLOAT16 -> Float16.toFloat(Float16.fromFloat(toOddFloat(value)));
            case BFLOAT16 -> BFloat16.toFloat(BFloat16.fromFloat(toOddFloat(value)));
            default -> throw new IllegalArgumentException("kit bug: " + dtype + " is not floating");
        };
    }

    /** The float nearest {@code value} toward zero, with its last bit set when inexact ("round to odd"). */
    private static float toOddFloat(double value) {
        float nearest = (float) value;
        if ((double) nearest == value || Float.isInfinite(nearest) || Double.isNaN(value)) {
            return nearest;
        }
        int bits = Float.floatToRawIntBits(nearest);
        if (Math.abs((double) nearest) > Math.abs(value)) {
            bits--;
        }
        return Float.intBitsToFloat(bits | 1);
    }

    /** An integer (or bool) tensor holding exactly {@code values}, copied in. */
    static Tensor integers(Backend backend, DType dtype, Shape shape, long[] values) {
        int width = dtype.byteWidth();
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * width).order(ByteOrder.nativeOrder());
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            switch (width) {
                case 1 -> buffer.put(i, (byte) v);
                case 2 -> buffer.putShort(i * 2, (short) v);
                case 4 -> buffer.putInt(i * 4, (int) v);
                default -> buffer.putLong(i * 8, v);
            }
        }
        return backend.fromBuffer(buffer, dtype, shape, CopyPolicy.ALWAYS);
    }

    /** The exact elements of an integer (or bool) tensor, read through an independent copy. */
    static long[] integers(Tensor tensor) {
        DType dtype = tensor.dtype();
        try (HostArray copy = tensor.toHost(CopyPolicy.ALWAYS)) {
            ByteBuffer bytes = copy.asByteBuffer();
            long[] out = new long[(int) copy.shape().elementCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = switch (dtype) {
                    case BOOL -> bytes.get(i) != 0 ? 1 : 0;
                    case INT8 -> bytes.get(i);
                    case UINT8 -> bytes.get(i) & 0xff;
                    case INT16 -> bytes.getShort(i * 2);
                    case INT32 -> bytes.getInt(i * 4);
                    default -> bytes.getLong(i * 8);
                };
            }
            return out;
        }
    }

    /** Integers that reach the edges of {@code dtype}: 0, ±1, ±2, 7, the extremes and their neighbours. */
    static long[] integerSpecials(DType dtype) {
        long min = switch (dtype) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0;
        };
        long max = switch (dtype) {
            case INT8 -> Byte.MAX_VALUE;
            case UINT8 -> 255;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
        return dtype == DType.UINT8 ? new long[] {0, 1, 2, 7, 127, 128, 254, 255}
                : new long[] {0, 1, -1, 2, -2, 7, min, min + 1, max, max - 1};
    }

    /** NaN, the infinities, both zeros, small values, the largest finite value and a subnormal of {@code dtype}. */
    static double[] floatSpecials(DType dtype) {
        double largest = switch (dtype) {
            case FLOAT16 -> 65504;
            case BFLOAT16 -> 3.3895313892515355e38;
            case FLOAT32 -> Float.MAX_VALUE;
            default -> Double.MAX_VALUE;
        };
        double subnormal = switch (dtype) {
            case FLOAT16 -> 0x1p-24;
            case BFLOAT16 -> 0x1p-133;
            case FLOAT32 -> Float.MIN_VALUE;
            default -> Double.MIN_VALUE;
        };
        return new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1, -1, 0.5, 2,
            -3.5, 10, largest, -largest, subnormal};
    }

    /** Random integers of {@code dtype}, some at its edges. */
    static long[] randomIntegers(Random random, DType dtype, int count) {
        long[] specials = integerSpecials(dtype);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = random.nextInt(4) == 0 ? specials[random.nextInt(specials.length)]
                    : wrap(dtype, random.nextInt(41) - 20);
        }
        return out;
    }

    /** Random floating values of {@code dtype} (exactly representable), some special. */
    static double[] randomFloats(Random random, DType dtype, int count) {
        double[] specials = floatSpecials(dtype);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = random.nextInt(5) == 0 ? specials[random.nextInt(specials.length)]
                    : round(dtype, (random.nextInt(129) - 64) / 8.0);
        }
        return out;
    }

    /** True if the two are the same floating value: both NaN, or equal with the sign of zero. */
    static boolean same(double expected, double actual) {
        return Double.compare(expected, actual) == 0 || (Double.isNaN(expected) && Double.isNaN(actual));
    }

    /**
     * True if {@code actual} is within {@code ulps} units in the last place of {@code dtype} of
     * {@code expected}; NaN, infinities and zeros must match exactly.
     */
    static boolean withinUlps(DType dtype, double expected, double actual, int ulps) {
        if (Double.isNaN(expected) || Double.isInfinite(expected) || Double.isNaN(actual) || Double.isInfinite(actual)) {
            return same(expected, actual);
        }
        return Math.abs(expected - actual) <= ulps * ulp(dtype, expected);
    }

    /** The spacing of {@code dtype}'s values at {@code value}. */
    static double ulp(DType dtype, double value) {
        int mantissaBits = switch (dtype) {
            case FLOAT16 -> 10;
            case BFLOAT16 -> 7;
            case FLOAT32 -> 23;
            default -> 52;
        };
        int minExponent = switch (dtype) {
            case FLOAT16 -> -14;
            case BFLOAT16, FLOAT32 -> -126;
            default -> -1022;
        };
        int exponent = value == 0 ? minExponent : Math.max(Math.getExponent(value), minExponent);
        return Math.scalb(1.0, exponent - mantissaBits);
    }

    /** The unit roundoff of {@code dtype}: half its spacing at 1. */
    static double epsilon(DType dtype) {
        return ulp(dtype, 1) / 2;
    }

    /** Every ordered pair of {@code values}: the left operands and the right operands, row by row. */
    static long[][] pairs(long[] values) {
        int n = values.length * values.length;
        long[][] out = new long[2][n];
        for (int i = 0; i < n; i++) {
            out[0][i] = values[i / values.length];
            out[1][i] = values[i % values.length];
        }
        return out;
    }

    /** Every ordered pair of {@code values}: the left operands and the right operands, row by row. */
    static double[][] pairs(double[] values) {
        int n = values.length * values.length;
        double[][] out = new double[2][n];
        for (int i = 0; i < n; i++) {
            out[0][i] = values[i / values.length];
            out[1][i] = values[i % values.length];
        }
        return out;
    }
}
