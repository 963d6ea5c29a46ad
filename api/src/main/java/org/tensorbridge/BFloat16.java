package org.tensorbridge;

/**
 * Conversions between bfloat16 bits (dtype {@link DType#BFLOAT16}) and {@code float}. A bfloat16
 * is the upper 16 bits of a binary32.
 *
 * <p>Stateless and thread-safe.
 */
public final class BFloat16 {
    private BFloat16() {
    }

    /** The {@code float} value of bfloat16 bits; exact for every input. */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Bfloat16 bits nearest to {@code value}, ties to even; NaN stays NaN. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
