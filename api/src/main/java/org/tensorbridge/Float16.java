package org.tensorbridge;

/**
 * Conversions between IEEE 754 binary16 bits (dtype {@link DType#FLOAT16}) and {@code float}.
 * Java 17 has no half-precision type; these are the conversions host arrays use.
 *
 * <p>Stateless and thread-safe.
 */
public final class Float16 {
    private Float16() {
    }

    /** The {@code float} value of half-precision bits; exact for every input. */
    public static float toFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign != 0 ? -subnormal : subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /**
     * Half-precision bits nearest to {@code value}, ties to even; values beyond the half range
     * become infinities and NaN stays NaN.
     */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign;
            }
            int significand = mantissa | 0x800000;
            int shift = 14 - halfExponent;
            return (short) (sign | roundShift(significand, shift));
        }
        // The rounding carry may run into the exponent; that is the correct next value (or infinity).
        return (short) (sign | ((halfExponent << 10) + roundShift(mantissa, 13)));
    }

    private static int roundShift(int value, int shift) {
        int result = value >>> shift;
        int remainder = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (remainder > halfway || (remainder == halfway && (result & 1) != 0)) {
            result++;
        }
        return result;
    }
}
