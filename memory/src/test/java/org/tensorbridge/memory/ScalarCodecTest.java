package org.tensorbridge.memory;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;

/**
 * ScalarCodec's exactness rules: integer and bool dtypes take only integral values in range,
 * checked exactly (BigDecimal and BigInteger too); floating dtypes round to nearest but refuse a
 * finite value that would become infinite, while infinities and NaN pass. Expected bytes are
 * literal bit patterns read back through an independent native-order buffer.
 */
class ScalarCodecTest {
    private static final BigInteger TWO_TO_63 = BigInteger.ONE.shiftLeft(63);

    private static ByteBuffer encode(Number value, DType dtype) {
        ByteBuffer out = ScalarCodec.encode(value, dtype, "scalar");
        assertEquals(0, out.position(), "position 0");
        assertEquals(dtype.byteWidth(), out.remaining(), "one element");
        assertEquals(ByteOrder.nativeOrder(), out.order(), "native order");
        return out;
    }

    /** The encoded element as raw bits, read in native order independently of the returned buffer's order. */
    private static long bits(Number value, DType dtype) {
        ByteBuffer out = encode(value, dtype);
        byte[] raw = new byte[dtype.byteWidth()];
        out.duplicate().get(raw);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        return switch (dtype.byteWidth()) {
            case 1 -> b.get(0) & 0xffL;
            case 2 -> b.getShort(0) & 0xffffL;
            case 4 -> b.getInt(0) & 0xffffffffL;
            default -> b.getLong(0);
        };
    }

    private static void assertRefused(Number value, DType dtype, String... words) {
        DTypeMismatchException e = assertThrows(DTypeMismatchException.class,
                () -> ScalarCodec.encode(value, dtype, "scalar"),
                value + " (" + value.getClass().getSimpleName() + ") into " + dtype);
        assertSame(DTypeMismatchException.class, e.getClass());
        assertTrue(e.getMessage().startsWith("scalar is "), "the message must name the argument: " + e.getMessage());
        assertTrue(e.getMessage().contains(dtype.displayName()), "the message must name the dtype: " + e.getMessage());
        for (String word : words) {
            assertTrue(e.getMessage().contains(word), "message should contain '" + word + "': " + e.getMessage());
        }
    }

    private static List<DType> integerDTypes() {
        List<DType> out = new ArrayList<>();
        for (DType d : DType.values()) {
            if (d.isInteger()) {
                out.add(d);
            }
        }
        return out;
    }

    // ---- integer dtypes: integral values in range ----

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"INT8", "UINT8", "INT16", "INT32", "INT64"})
    void integerDTypesTakeIntegralValuesOfEveryNumberType(DType dtype) {
        List<Number> twos = List.of(2, 2L, (short) 2, (byte) 2, 2.0, 2.0f, new AtomicInteger(2),
                new AtomicLong(2), BigInteger.TWO, new BigDecimal("2"), new BigDecimal("2.000"),
                new BigDecimal("0.2E+1"));
        for (Number two : twos) {
            assertEquals(2L, bits(two, dtype), two + " (" + two.getClass().getSimpleName() + ") into " + dtype);
        }
        assertEquals(0L, bits(-0.0, dtype), "-0.0 is the integer 0");
        assertEquals(0L, bits(new BigDecimal("0.000"), dtype));
    }

    @Test
    void integerEncodingsAreNativeOrderTwosComplement() {
        assertEquals(0x80L, bits(-128, DType.INT8));
        assertEquals(0x7fL, bits(127, DType.INT8));
        assertEquals(0xffL, bits(255, DType.UINT8));
        assertEquals(0xc8L, bits(200.0, DType.UINT8));
        assertEquals(0x8000L, bits(Short.MIN_VALUE, DType.INT16));
        assertEquals(0x1234L, bits(0x1234, DType.INT16));
        assertEquals(0x12345678L, bits(0x12345678, DType.INT32));
        assertEquals(0x80000000L, bits(Integer.MIN_VALUE, DType.INT32));
        assertEquals(0xffffffffL, bits(-1L, DType.INT32));
        assertEquals(0x0102030405060708L, bits(0x0102030405060708L, DType.INT64));
        assertEquals(Long.MAX_VALUE, bits(Long.MAX_VALUE, DType.INT64));
        assertEquals(Long.MIN_VALUE, bits(Long.MIN_VALUE, DType.INT64));
    }

    @Test
    void int64KeepsEveryBitOfExactInputs() {
        // Beyond 2^53 a double cannot tell these apart; the codec must not go through double.
        long odd = (1L << 53) + 1;
        assertEquals(odd, bits(odd, DType.INT64));
        assertEquals(Long.MAX_VALUE - 1, bits(BigInteger.valueOf(Long.MAX_VALUE - 1), DType.INT64));
        assertEquals(Long.MAX_VALUE - 1, bits(new BigDecimal(Long.MAX_VALUE - 1), DType.INT64));
        assertEquals(Long.MIN_VALUE, bits(TWO_TO_63.negate(), DType.INT64), "-2^63 is in range");
        assertEquals(Long.MIN_VALUE, bits(new BigDecimal(TWO_TO_63.negate()), DType.INT64));
        assertEquals(Long.MIN_VALUE, bits(-0x1p63, DType.INT64), "-2^63 as a double is in range");
        assertEquals(odd, bits(new AtomicLong(odd), DType.INT64));
    }

    @Test
    void integralNumberTypesOutsideTheJdkWrappersAreStillExact() {
        // LongAdder is an integral Number like AtomicLong; its doubleValue() loses the low bit.
        long odd = (1L << 53) + 1;
        LongAdder adder = new LongAdder();
        adder.add(odd);
        assertEquals(odd, bits(adder, DType.INT64),
                "an integral Number must not be rounded through doubleValue(); pass it exactly or refuse it");
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"INT8", "UINT8", "INT16", "INT32", "INT64", "BOOL"})
    void integerDTypesRefuseNonIntegralValues(DType dtype) {
        for (Number value : List.<Number>of(2.5, 0.5f, -0.25, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Float.NaN, Float.POSITIVE_INFINITY, Double.MIN_VALUE,
                new BigDecimal("0.5"), new BigDecimal("1.0000000000000000001"))) {
            assertRefused(value, dtype, "cannot hold exactly");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"INT8", "UINT8", "INT16", "INT32", "INT64"})
    void bigDecimalIsCheckedExactlyNotThroughDoubleValue(DType dtype) {
        // doubleValue() of this is exactly 2.0.
        assertRefused(new BigDecimal("2.0000000000000000001"), dtype, "2.0000000000000000001");
    }

    @Test
    void integerDTypesRefuseValuesOutOfRangeNamingTheRange() {
        assertRefused(300, DType.INT8, "300", "[-128, 127]");
        assertRefused(128, DType.INT8, "[-128, 127]");
        assertRefused(-129, DType.INT8, "[-128, 127]");
        assertRefused(-1, DType.UINT8, "-1", "[0, 255]");
        assertRefused(256, DType.UINT8, "[0, 255]");
        assertRefused(-1.0, DType.UINT8, "[0, 255]");
        assertRefused(32768, DType.INT16, "[-32768, 32767]");
        assertRefused(1L << 31, DType.INT32, "2147483648");
        assertRefused(-(1L << 31) - 1, DType.INT32);
        assertRefused(TWO_TO_63, DType.INT64, "9223372036854775808");
        assertRefused(TWO_TO_63.negate().subtract(BigInteger.ONE), DType.INT64);
        assertRefused(new BigDecimal(TWO_TO_63), DType.INT64, "9223372036854775808");
        assertRefused(new BigDecimal("1e30"), DType.INT64);
        assertRefused(0x1p63, DType.INT64);
        assertRefused(1e300, DType.INT64);
        assertRefused(-1e300, DType.INT64);
        assertRefused(BigInteger.valueOf(300), DType.INT8, "300");
        assertRefused(new BigDecimal("300.0"), DType.INT8);
        assertRefused(1L << 40, DType.INT16);
    }

    @Test
    void integerBoundariesAreAccepted() {
        for (DType dtype : integerDTypes()) {
            long min = switch (dtype) {
                case INT8 -> Byte.MIN_VALUE;
                case UINT8 -> 0;
                case INT16 -> Short.MIN_VALUE;
                case INT32 -> Integer.MIN_VALUE;
                default -> Long.MIN_VALUE;
            };
            long max = switch (dtype) {
                case INT8 -> Byte.MAX_VALUE;
                case UINT8 -> 255;
                case INT16 -> Short.MAX_VALUE;
                case INT32 -> Integer.MAX_VALUE;
                default -> Long.MAX_VALUE;
            };
            long mask = dtype.byteWidth() == 8 ? -1L : (1L << (8 * dtype.byteWidth())) - 1;
            assertEquals(min & mask, bits(min, dtype), dtype + " min");
            assertEquals(max & mask, bits(max, dtype), dtype + " max");
        }
    }

    // ---- bool ----

    @Test
    void boolTakesZeroAndOneOnly() {
        assertEquals(0L, bits(0, DType.BOOL));
        assertEquals(1L, bits(1, DType.BOOL));
        assertEquals(1L, bits(1.0, DType.BOOL));
        assertEquals(1L, bits(new BigDecimal("1.00"), DType.BOOL));
        assertEquals(0L, bits(0L, DType.BOOL));
        assertRefused(2, DType.BOOL, "[0, 1]");
        assertRefused(-1, DType.BOOL, "[0, 1]");
        assertRefused(255, DType.BOOL, "[0, 1]");
        assertRefused(0.5, DType.BOOL, "cannot hold exactly");
    }

    // ---- floating dtypes ----

    @Test
    void floatEncodingsAreTheNearestValueInNativeOrder() {
        assertEquals(Double.doubleToRawLongBits(0.1), bits(0.1, DType.FLOAT64));
        assertEquals(Float.floatToRawIntBits(0.1f) & 0xffffffffL, bits(0.1, DType.FLOAT32));
        assertEquals(0x40400000L, bits(3, DType.FLOAT32));
        assertEquals(0x3e00L, bits(1.5, DType.FLOAT16));
        assertEquals(0x2e66L, bits(0.1, DType.FLOAT16), "0.1 rounds to the nearest half");
        assertEquals(0x3fc0L, bits(1.5f, DType.BFLOAT16));
        assertEquals(0x4049L, bits(Math.PI, DType.BFLOAT16));
        assertEquals(0x7bffL, bits(65504, DType.FLOAT16), "the largest half is accepted");
        assertEquals(0x7bffL, bits(-65504.0, DType.FLOAT16) & 0x7fff);
        assertEquals(Double.doubleToRawLongBits(Double.MAX_VALUE), bits(Double.MAX_VALUE, DType.FLOAT64));
        assertEquals(Float.floatToRawIntBits(Float.MAX_VALUE) & 0xffffffffL, bits(Float.MAX_VALUE, DType.FLOAT32));
        assertEquals(0x7f7fL, bits(new BigDecimal(0x1.fep127), DType.BFLOAT16),
                "the largest bfloat16 is accepted");
        assertEquals(Double.doubleToRawLongBits(2.0), bits(new BigDecimal("2.0000000000000000001"), DType.FLOAT64),
                "floating dtypes round");
        assertEquals(Double.doubleToRawLongBits(0x1p63), bits(TWO_TO_63, DType.FLOAT64));
    }

    @Test
    void float16AndBfloat16RoundOnceToTheNearestValue() {
        // 1 + 2^-11 + 2^-40 is just above the midpoint of the halves 1 and 1 + 2^-10, so its
        // nearest half is 1 + 2^-10 (0x3c01). Rounding to float first lands exactly on the
        // midpoint, and ties-to-even then gives 1 (0x3c00): a double rounding error.
        // The same for bfloat16: 1 + 2^-8 + 2^-40 is nearest to 1 + 2^-7 (0x3f81).
        assertAll(
                () -> assertEquals(0x3c01L, bits(1 + 0x1p-11 + 0x1p-40, DType.FLOAT16), "float16"),
                () -> assertEquals(0x3f81L, bits(1 + 0x1p-8 + 0x1p-40, DType.BFLOAT16), "bfloat16"));
    }

    @Test
    void floatDTypesRefuseFiniteValuesThatWouldOverflow() {
        assertRefused(1e6, DType.FLOAT16, "1000000.0", "float64");
        assertRefused(-1e6, DType.FLOAT16);
        assertRefused(65520, DType.FLOAT16, "65520");
        assertRefused(100_000, DType.FLOAT16);
        assertRefused(1e39, DType.FLOAT32, "float64");
        assertRefused(-Double.MAX_VALUE, DType.FLOAT32);
        assertRefused(1e39, DType.BFLOAT16, "float64");
        assertRefused(new BigDecimal("1e400"), DType.FLOAT64, "1E+400");
        assertRefused(new BigDecimal("-1e400"), DType.FLOAT64);
        assertRefused(BigInteger.ONE.shiftLeft(1024), DType.FLOAT64);
        assertRefused(new BigDecimal("1e400"), DType.FLOAT32);
    }

    @Test
    void bfloat16RefusesFiniteValuesBeyondItsOwnLargestFinite() {
        // The largest bfloat16 is 0x7f7f = 3.3895314e38, below Float.MAX_VALUE = 3.4028235e38.
        // Float.MAX_VALUE and 3.4e38 round to bfloat16 infinity (0x7f80): a finite value that overflows.
        assertAll(
                () -> assertRefused(Float.MAX_VALUE, DType.BFLOAT16),
                () -> assertRefused(3.4e38, DType.BFLOAT16),
                // The midpoint between 0x7f7f and infinity rounds (ties to even) to infinity.
                () -> assertRefused(0x1.ffp127, DType.BFLOAT16));
        // Below the midpoint (0x7f7f7800 as a float) rounds to 0x7f7f and is accepted.
        assertEquals(0x7f7fL, bits(0x1.fefp127, DType.BFLOAT16));
    }

    @Test
    void floatDTypesAcceptFiniteValuesThatRoundDownToTheLargestFinite() {
        // "Round to nearest, refuse a finite value that overflows": 65519 rounds to 65504 (0x7bff);
        // only 65520 and above round to infinity in binary16 (NumPy: float16(65519) == 65504).
        // Just above Float.MAX_VALUE, below the midpoint to 2^128, rounds to Float.MAX_VALUE.
        double justAbove = (double) Float.MAX_VALUE + 0x1p100;
        assertAll(
                () -> assertEquals(0x7bffL, bits(65519, DType.FLOAT16), "float16"),
                () -> assertEquals(Float.floatToRawIntBits(Float.MAX_VALUE) & 0xffffffffL, bits(justAbove, DType.FLOAT32),
                        "float32"));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT16", "BFLOAT16", "FLOAT32", "FLOAT64"})
    void floatDTypesAcceptInfinitiesAndNaN(DType dtype) {
        for (Number inf : List.<Number>of(Double.POSITIVE_INFINITY, Float.POSITIVE_INFINITY)) {
            assertEquals(Double.POSITIVE_INFINITY, decodeFloat(encode(inf, dtype), dtype), inf + " into " + dtype);
        }
        for (Number inf : List.<Number>of(Double.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY)) {
            assertEquals(Double.NEGATIVE_INFINITY, decodeFloat(encode(inf, dtype), dtype), inf + " into " + dtype);
        }
        for (Number nan : List.<Number>of(Double.NaN, Float.NaN)) {
            assertTrue(Double.isNaN(decodeFloat(encode(nan, dtype), dtype)), nan + " into " + dtype);
        }
    }

    /** Decodes by bit pattern, written out here rather than through Float16/BFloat16 for the special values. */
    private static double decodeFloat(ByteBuffer element, DType dtype) {
        ByteBuffer b = element.duplicate().order(ByteOrder.nativeOrder());
        return switch (dtype) {
            case FLOAT64 -> b.getDouble(0);
            case FLOAT32 -> b.getFloat(0);
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(0) & 0xffff) << 16);
            case FLOAT16 -> {
                int h = b.getShort(0) & 0xffff;
                int exponent = (h >>> 10) & 0x1f;
                int mantissa = h & 0x3ff;
                double sign = (h & 0x8000) != 0 ? -1 : 1;
                if (exponent == 0x1f) {
                    yield mantissa != 0 ? Double.NaN : sign * Double.POSITIVE_INFINITY;
                }
                yield exponent == 0 ? sign * mantissa * 0x1p-24 : sign * (1024 + mantissa) * Math.pow(2, exponent - 25);
            }
            default -> throw new AssertionError(dtype);
        };
    }

    // ---- arguments ----

    @Test
    void nullValueIsRefusedNamingTheArgument() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> ScalarCodec.encode(null, DType.INT32, "value"));
        assertEquals("value must not be null", e.getMessage());
    }

    @Test
    void theArgumentNameGivenIsTheOneInTheMessage() {
        DTypeMismatchException e = assertThrows(DTypeMismatchException.class,
                () -> ScalarCodec.encode(2.5, DType.INT32, "divisor"));
        assertTrue(e.getMessage().startsWith("divisor is 2.5"), e.getMessage());
        e = assertThrows(DTypeMismatchException.class, () -> ScalarCodec.encode(1e6, DType.FLOAT16, "fill value"));
        assertTrue(e.getMessage().startsWith("fill value is 1000000.0"), e.getMessage());
    }
}
