package org.tensorbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BFloat16Test {
    private static final long SEED = 0xbf16L;

    @Test
    void everyBFloat16IsTheUpperHalfOfAFloat() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float value = BFloat16.toFloat((short) bits);
            String where = String.format("bfloat16 0x%04x", bits);
            if (isNaN(bits)) {
                assertTrue(Float.isNaN(value), where);
            } else {
                assertEquals(bits << 16, Float.floatToRawIntBits(value), where);
            }
        }
    }

    @Test
    void everyBFloat16RoundTripsThroughFloat() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            int back = BFloat16.fromFloat(BFloat16.toFloat((short) bits)) & 0xffff;
            String where = String.format("bfloat16 0x%04x -> 0x%04x", bits, back);
            if (isNaN(bits)) {
                assertTrue(isNaN(back), where + " should stay NaN");
                assertEquals(bits & 0x8000, back & 0x8000, where + " should keep its sign");
            } else {
                assertEquals(bits, back, where);
            }
        }
    }

    @Test
    void tiesRoundToEven() {
        assertBFloat16(0x3f80, 0x3f808000); // 1.0 + half an ulp: 0x3f80 is even
        assertBFloat16(0x3f82, 0x3f818000); // halfway between 0x3f81 and 0x3f82: 0x3f82 is even
        assertBFloat16(0xbf80, 0xbf808000);
        assertBFloat16(0xbf82, 0xbf818000);
    }

    @Test
    void nonTiesRoundToNearest() {
        assertBFloat16(0x3f80, 0x3f807fff);
        assertBFloat16(0x3f81, 0x3f808001);
        assertBFloat16(0x3f81, 0x3f817fff);
        assertBFloat16(0x3f82, 0x3f818001);
        assertBFloat16(0x0000, 0x00000001); // smallest float subnormal
        assertBFloat16(0x0001, 0x00008001);
    }

    @Test
    void roundingPastTheLargestFiniteValueGivesInfinity() {
        assertBFloat16(0x7f7f, 0x7f7f7fff);
        assertBFloat16(0x7f80, 0x7f7f8000); // tie, 0x7f80 is even
        assertBFloat16(0x7f80, 0x7f7fffff); // Float.MAX_VALUE
        assertBFloat16(0xff80, 0xff7fffff);
        assertBFloat16(0x7f80, 0x7f800000);
        assertBFloat16(0xff80, 0xff800000);
        assertBFloat16(0x8000, 0x80000000);
    }

    @Test
    void nanStaysNaN() {
        for (int bits : new int[] {0x7fc00000, 0x7f800001, 0x7f80ffff, 0xff800001, 0xffffffff, 0x7fffffff}) {
            int result = BFloat16.fromFloat(Float.intBitsToFloat(bits)) & 0xffff;
            assertTrue(isNaN(result), String.format("float 0x%08x gave bfloat16 0x%04x", bits, result));
        }
    }

    @Test
    void fromFloatMatchesTheReferenceOnRandomFloats() {
        Random random = new Random(SEED);
        for (int i = 0; i < 500_000; i++) {
            int bits = random.nextInt();
            float value = Float.intBitsToFloat(bits);
            int actual = BFloat16.fromFloat(value) & 0xffff;
            String message = String.format("seed %d, draw %d: float 0x%08x gave bfloat16 0x%04x", SEED, i, bits, actual);
            if (Float.isNaN(value)) {
                assertTrue(isNaN(actual), message);
            } else {
                assertEquals(referenceBFloat16(value), actual, message);
            }
        }
    }

    private static void assertBFloat16(int expected, int floatBits) {
        assertEquals(expected, BFloat16.fromFloat(Float.intBitsToFloat(floatBits)) & 0xffff,
                () -> String.format("float 0x%08x", floatBits));
    }

    private static boolean isNaN(int bfloat16Bits) {
        return (bfloat16Bits & 0x7f80) == 0x7f80 && (bfloat16Bits & 0x7f) != 0;
    }

    /**
     * The nearest bfloat16 by exact arithmetic: the two candidates are the truncation and the next
     * magnitude up (infinity standing at 2^128), ties to the even one.
     */
    private static int referenceBFloat16(float value) {
        int sign = Float.floatToRawIntBits(value) & 0x80000000;
        if (Float.isInfinite(value)) {
            return (sign >>> 16) | 0x7f80;
        }
        int magnitudeBits = Float.floatToRawIntBits(Math.abs(value));
        int down = magnitudeBits >>> 16;
        int up = down + 1;
        BigDecimal x = new BigDecimal(Math.abs(value));
        BigDecimal low = valueOf(down);
        BigDecimal high = valueOf(up);
        int order = x.subtract(low).compareTo(high.subtract(x));
        int nearest = order < 0 ? down : order > 0 ? up : (down & 1) == 0 ? down : up;
        return (sign >>> 16) | nearest;
    }

    private static BigDecimal valueOf(int nonNegativeBFloat16) {
        return nonNegativeBFloat16 == 0x7f80
                ? new BigDecimal(2).pow(128)
                : new BigDecimal(Float.intBitsToFloat(nonNegativeBFloat16 << 16));
    }
}
