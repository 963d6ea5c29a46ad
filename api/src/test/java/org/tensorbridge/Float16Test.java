package org.tensorbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Float16 checked against a reference built independently: every finite half's value computed
 * from the IEEE 754 binary16 definition, exactly, and rounding done by looking up the nearest
 * values in that table.
 */
class Float16Test {
    private static final long SEED = 0x7e115eedL;
    private static final int POSITIVE_INFINITY = 0x7c00;

    /** Every non-negative finite half, and +infinity standing at 65536 for rounding, by exact value. */
    private static final TreeMap<BigDecimal, Integer> HALVES = positiveHalvesByValue();

    @Test
    void everyHalfConvertsToItsExactValue() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float value = Float16.toFloat((short) bits);
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            boolean negative = (bits & 0x8000) != 0;
            String where = String.format("half 0x%04x", bits);
            if (exponent == 0x1f && mantissa != 0) {
                assertTrue(Float.isNaN(value), where);
            } else if (exponent == 0x1f) {
                assertEquals(negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY, value, where);
            } else {
                double magnitude = referenceValue(bits & 0x7fff);
                assertEquals(negative ? -magnitude : magnitude, (double) value, where);
                assertEquals(negative, (Float.floatToRawIntBits(value) & 0x80000000) != 0, where + " sign");
            }
        }
    }

    @Test
    void everyHalfRoundTripsThroughFloat() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float value = Float16.toFloat((short) bits);
            int back = Float16.fromFloat(value) & 0xffff;
            String where = String.format("half 0x%04x -> %s -> 0x%04x", bits, value, back);
            if (isNaN(bits)) {
                assertTrue(isNaN(back), where + " should stay NaN");
                assertEquals(bits & 0x8000, back & 0x8000, where + " should keep its sign");
            } else {
                assertEquals(bits, back, where);
            }
        }
    }

    @Test
    void fromFloatMatchesTheReferenceOnRandomFloats() {
        Random random = new Random(SEED);
        for (int i = 0; i < 200_000; i++) {
            float value = i % 2 == 0
                    // Anywhere in float's range, NaNs and infinities included.
                    ? Float.intBitsToFloat(random.nextInt())
                    // Concentrated on half's range: exponents 2^-27 .. 2^17.
                    : Float.intBitsToFloat((random.nextInt() & 0x807fffff) | ((100 + random.nextInt(45)) << 23));
            assertConvertsLikeTheReference(value, "seed " + SEED + ", draw " + i);
        }
    }

    @Test
    void fromFloatMatchesTheReferenceAtEveryTieAndItsNeighbours() {
        // Midpoints between adjacent halves (exact in float) are where ties-to-even and off-by-one errors show.
        Map.Entry<BigDecimal, Integer> lower = HALVES.firstEntry();
        for (Map.Entry<BigDecimal, Integer> upper : HALVES.tailMap(lower.getKey(), false).entrySet()) {
            float midpoint = (float) ((lower.getKey().doubleValue() + upper.getKey().doubleValue()) / 2);
            for (float value : new float[] {midpoint, Math.nextDown(midpoint), Math.nextUp(midpoint)}) {
                assertConvertsLikeTheReference(value, "near the midpoint of 0x"
                        + Integer.toHexString(lower.getValue()) + " and 0x" + Integer.toHexString(upper.getValue()));
                assertConvertsLikeTheReference(-value, "negative, near the same midpoint");
            }
            lower = upper;
        }
    }

    @Test
    void knownValues() {
        assertHalf(0x3c00, 1.0f);
        assertHalf(0xbc00, -1.0f);
        assertHalf(0x4000, 2.0f);
        assertHalf(0x3555, 1.0f / 3);
        assertHalf(0x7bff, 65504f);
        assertHalf(0x7bff, 65519.996f);
        assertHalf(0x7c00, 65520f);
        assertHalf(0x7c00, 1e10f);
        assertHalf(0xfc00, -65520f);
        assertHalf(0x7c00, Float.POSITIVE_INFINITY);
        assertHalf(0xfc00, Float.NEGATIVE_INFINITY);
        assertHalf(0x0400, 0x1p-14f);
        assertHalf(0x03ff, 0x1.ff8p-15f);
        assertHalf(0x0001, 0x1p-24f);
        assertHalf(0x0000, 0x1p-25f);
        assertHalf(0x0001, Math.nextUp(0x1p-25f));
        assertHalf(0x0000, Float.MIN_VALUE);
        assertHalf(0x0000, 0.0f);
        assertHalf(0x8000, -0.0f);
        assertHalf(0x8000, -Float.MIN_VALUE);
    }

    @Test
    void knownValuesBack() {
        assertEquals(1.0f, Float16.toFloat((short) 0x3c00));
        assertEquals(65504f, Float16.toFloat((short) 0x7bff));
        assertEquals(0x1p-24f, Float16.toFloat((short) 0x0001));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(Float16.toFloat((short) 0x8000)));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat((short) 0xfc00));
    }

    @Test
    void nanStaysNaN() {
        assertTrue(isNaN(Float16.fromFloat(Float.NaN) & 0xffff));
        // A payload only in the low float mantissa bits must not turn into infinity.
        assertTrue(isNaN(Float16.fromFloat(Float.intBitsToFloat(0x7f800001)) & 0xffff));
        assertTrue(isNaN(Float16.fromFloat(Float.intBitsToFloat(0xffc00000)) & 0xffff));
        assertTrue(Float.isNaN(Float16.toFloat((short) 0x7e00)));
    }

    private static void assertHalf(int expected, float value) {
        assertEquals(expected, Float16.fromFloat(value) & 0xffff,
                () -> String.format("%s (0x%08x)", value, Float.floatToRawIntBits(value)));
    }

    private static void assertConvertsLikeTheReference(float value, String where) {
        int actual = Float16.fromFloat(value) & 0xffff;
        String message = String.format("%s: float %s (0x%08x) gave half 0x%04x", where, value,
                Float.floatToRawIntBits(value), actual);
        if (Float.isNaN(value)) {
            assertTrue(isNaN(actual), message + ", not NaN");
        } else {
            assertEquals(referenceHalf(value), actual, message);
        }
    }

    private static boolean isNaN(int halfBits) {
        return (halfBits & 0x7c00) == 0x7c00 && (halfBits & 0x3ff) != 0;
    }

    /** The half nearest to {@code value} by exact arithmetic, ties to the even bit pattern. */
    private static int referenceHalf(float value) {
        int sign = (Float.floatToRawIntBits(value) & 0x80000000) != 0 ? 0x8000 : 0;
        if (Float.isInfinite(value)) {
            return sign | POSITIVE_INFINITY;
        }
        BigDecimal magnitude = new BigDecimal(Math.abs((double) value));
        Map.Entry<BigDecimal, Integer> below = HALVES.floorEntry(magnitude);
        Map.Entry<BigDecimal, Integer> above = HALVES.ceilingEntry(magnitude);
        if (above == null) {
            return sign | POSITIVE_INFINITY;
        }
        if (below.getKey().compareTo(magnitude) == 0) {
            return sign | below.getValue();
        }
        int order = magnitude.subtract(below.getKey()).compareTo(above.getKey().subtract(magnitude));
        if (order < 0) {
            return sign | below.getValue();
        } else if (order > 0) {
            return sign | above.getValue();
        }
        return sign | ((below.getValue() & 1) == 0 ? below.getValue() : above.getValue());
    }

    private static TreeMap<BigDecimal, Integer> positiveHalvesByValue() {
        TreeMap<BigDecimal, Integer> halves = new TreeMap<>();
        for (int bits = 0; bits < POSITIVE_INFINITY; bits++) {
            halves.put(new BigDecimal(referenceValue(bits)), bits);
        }
        // Rounding treats infinity as the next value after the largest finite half (IEEE 754 §4.3.1).
        halves.put(new BigDecimal(65536), POSITIVE_INFINITY);
        return halves;
    }

    /** Value of a non-negative finite half by the binary16 definition. */
    private static double referenceValue(int bits) {
        int exponent = bits >>> 10;
        int mantissa = bits & 0x3ff;
        return exponent == 0
                ? Math.scalb((double) mantissa, -24)
                : Math.scalb((double) (1024 + mantissa), exponent - 25);
    }
}
