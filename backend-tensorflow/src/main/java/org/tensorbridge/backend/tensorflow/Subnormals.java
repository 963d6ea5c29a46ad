package org.tensorbridge.backend.tensorflow;

import org.tensorbridge.DType;

/**
 * Forms of operations that stay exact where TensorFlow is not: TensorFlow runs every kernel with subnormal
 * numbers flushed to zero (denormals-are-zero and flush-to-zero), so floating arithmetic and comparisons read a
 * subnormal input as ±0 and write a subnormal result as ±0. These forms work on the bits (integer operations,
 * which the flags do not touch), on scaled, normal values, or in float64, where every bfloat16 value is normal,
 * and round the result once to the narrower dtype on the bits. float16 is unaffected in TensorFlow's own kernels
 * (it computes in float32, where half's subnormals are normal); the forms hold for it too.
 *
 * <p>Selections between values of one shape use TensorFlow's {@code Select}, which works on the flat elements at
 * any rank; {@code SelectV2}, which broadcasts, handles at most eight dimensions. Stateless.
 */
final class Subnormals {
    private Subnormals() {
    }

    /** The integer dtype of {@code floating}'s width. */
    static DType bits(DType floating) {
        return switch (floating.byteWidth()) {
            case 2 -> DType.INT16;
            case 4 -> DType.INT32;
            default -> DType.INT64;
        };
    }

    /** The largest value of {@code bits}: every bit but the sign. */
    private static Number magnitudeMask(DType bits) {
        return bits == DType.INT16 ? Short.MAX_VALUE : bits == DType.INT32 ? (Number) Integer.MAX_VALUE : Long.MAX_VALUE;
    }

    /** The mantissa bits of {@code floating}: its largest subnormal's bit pattern. */
    private static Number mantissaMask(DType floating) {
        return switch (floating) {
            case FLOAT16 -> (short) 0x03ff;
            case BFLOAT16 -> (short) 0x007f;
            case FLOAT32 -> 0x007fffff;
            default -> 0x000fffffffffffffL;
        };
    }

    /** {@code e} such that a subnormal is its mantissa bits times {@code 2^-e}. */
    private static int scale(DType floating) {
        return switch (floating) {
            case FLOAT16 -> 24;
            case BFLOAT16 -> 133;
            case FLOAT32 -> 149;
            default -> 1074;
        };
    }

    /**
     * A key of each element whose integer order is {@code Math.max}'s order of the values (-0 below +0; NaN
     * handled apart): the bits, with every bit but the sign flipped for negative values.
     */
    private static <V> V key(TfProgram<V> tf, V x, DType dtype) {
        DType bits = bits(dtype);
        V b = tf.op("Bitcast", TfProgram.type("type", bits), x);
        V negative = tf.op("RightShift", b, tf.scalar(bits, dtype.byteWidth() * 8 - 1));
        return tf.op("BitwiseXor", b, tf.op("BitwiseAnd", negative, tf.scalar(bits, magnitudeMask(bits))));
    }

    /** The value of a {@link #key}: the transform is its own inverse. */
    private static <V> V value(TfProgram<V> tf, V key, DType dtype) {
        DType bits = bits(dtype);
        V negative = tf.op("RightShift", key, tf.scalar(bits, dtype.byteWidth() * 8 - 1));
        V b = tf.op("BitwiseXor", key, tf.op("BitwiseAnd", negative, tf.scalar(bits, magnitudeMask(bits))));
        return tf.op("Bitcast", TfProgram.type("type", dtype), b);
    }

    /**
     * Elementwise {@code Math.max} or {@code Math.min}: the integer maximum or minimum of the keys (an integer
     * kernel, which broadcasts the operands at any rank), NaN if either is NaN.
     */
    static <V> V extreme(TfProgram<V> tf, boolean max, DType dtype, V a, V b) {
        V picked = value(tf, tf.op(max ? "Maximum" : "Minimum", key(tf, a, dtype), key(tf, b, dtype)), dtype);
        return tf.op("Select", tf.op("LogicalOr", tf.op("IsNan", a), tf.op("IsNan", b)), tf.op("AddV2", a, b), picked);
    }

    /**
     * A {@code max} or {@code min} reduction: of the keys, NaN where any element is NaN. {@code wide}: the result
     * has more dimensions than SelectV2 broadcasts a scalar over, so the NaNs are put in on the flattened result.
     */
    static <V> V reduceExtreme(TfProgram<V> tf, String type, Object[] keep, V a, V axes, DType dtype, boolean wide) {
        V reduced = value(tf, tf.op(type, keep, key(tf, a, dtype), axes), dtype);
        V anyNan = tf.op("Any", keep, tf.op("IsNan", a), axes);
        if (!wide) {
            return tf.op("SelectV2", anyNan, tf.scalar(dtype, Double.NaN), reduced);
        }
        return tf.onFlat(reduced, flat -> tf.op("SelectV2", tf.op("Reshape", anyNan, tf.longs(-1)),
                tf.scalar(dtype, Double.NaN), flat));
    }

    /** {@code sqrt}, {@code log} or {@code tanh}, with subnormal inputs computed from their scaled value. */
    static <V> V unary(TfProgram<V> tf, String type, DType dtype, V x) {
        DType bits = bits(dtype);
        V magnitude = tf.op("BitwiseAnd", tf.op("Bitcast", TfProgram.type("type", bits), x),
                tf.scalar(bits, magnitudeMask(bits)));
        V tiny = tf.op("LogicalAnd", tf.op("Greater", magnitude, tf.scalar(bits, 0)),
                tf.op("LessEqual", magnitude, tf.scalar(bits, mantissaMask(dtype))));
        V plain = tf.op(type, x);
        if (type.equals("Tanh")) { // tanh(x) rounds to x for every subnormal x
            return tf.op("Select", tiny, x, plain);
        }
        // x = +-m * 2^-e with m the mantissa bits: a normal value times a power of two.
        V m = tf.op("Cast", TfProgram.type("DstT", dtype), magnitude);
        V signed = tf.op("Select", tf.op("Less", tf.op("Bitcast", TfProgram.type("type", bits), x),
                tf.scalar(bits, 0)), tf.op("Neg", m), m);
        int e = scale(dtype);
        V fixed;
        if (type.equals("Sqrt")) { // sqrt(m * 2^-e) = sqrt(m * 2^(e % 2)) * 2^-(e + e % 2) / 2, both exact scalings
            V even = e % 2 == 0 ? signed : tf.op("Mul", signed, tf.scalar(dtype, 2));
            fixed = tf.op("Mul", tf.op("Sqrt", even), tf.scalar(dtype, Math.scalb(1.0, -(e + e % 2) / 2)));
        } else { // log(m * 2^-e) = log(m) - e * ln 2
            fixed = tf.op("Sub", tf.op("Log", signed), tf.scalar(dtype, e * Math.log(2)));
        }
        return tf.op("Select", tiny, fixed, plain);
    }

    /** {@code x} of a narrower floating dtype as float64, exactly, subnormals included. */
    static <V> V widen(TfProgram<V> tf, V x, DType dtype) {
        DType bits = bits(dtype);
        V b = tf.op("Bitcast", TfProgram.type("type", bits), x);
        V magnitude = tf.op("BitwiseAnd", b, tf.scalar(bits, magnitudeMask(bits)));
        V tiny = tf.op("LessEqual", magnitude, tf.scalar(bits, mantissaMask(dtype)));
        V m = tf.op("Mul", tf.op("Cast", TfProgram.type("DstT", DType.FLOAT64), magnitude),
                tf.scalar(DType.FLOAT64, Math.scalb(1.0, -scale(dtype))));
        V signed = tf.op("Select", tf.op("Less", b, tf.scalar(bits, 0)), tf.op("Neg", m), m);
        return tf.op("Select", tiny, signed, tf.op("Cast", TfProgram.type("DstT", DType.FLOAT64), x));
    }

    /**
     * float64 {@code x} rounded once to a narrower floating dtype, to nearest even, subnormal results included.
     * Results below the dtype's smallest normal are rounded on its subnormal grid with integer bits; the others
     * are TensorFlow's cast, which for float16 and bfloat16 goes through float32 and would round twice, so the
     * float32 step is made "to odd" first ({@link #toOddFloat}).
     */
    static <V> V narrow(TfProgram<V> tf, V x, DType dtype) {
        DType bits = bits(dtype);
        double smallestNormal = Math.scalb(1.0, dtype == DType.FLOAT16 ? -14 : -126);
        V magnitude = tf.op("Abs", x);
        V tiny = tf.op("Less", magnitude, tf.scalar(DType.FLOAT64, smallestNormal));
        V m = tf.op("Cast", TfProgram.type("DstT", bits), tf.op("Rint", tf.op("Mul", magnitude,
                tf.scalar(DType.FLOAT64, Math.scalb(1.0, scale(dtype))))));
        // The sign from the bits: a comparison reads a negative float64 subnormal as -0, not below 0.
        V negative = tf.op("Less", tf.op("Bitcast", TfProgram.type("type", DType.INT64), x), tf.scalar(DType.INT64, 0));
        V signed = tf.op("Select", negative, tf.op("BitwiseOr", m,
                tf.scalar(bits, bits == DType.INT16 ? Short.MIN_VALUE : Integer.MIN_VALUE)), m);
        V rest = dtype == DType.FLOAT32 ? x : toOddFloat(tf, x);
        return tf.op("Select", tiny, tf.op("Bitcast", TfProgram.type("type", dtype), signed),
                tf.op("Cast", TfProgram.type("DstT", dtype), rest));
    }

    /**
     * float64 {@code x} rounded to float32 "to odd": toward zero, with the last bit set when inexact. Rounding
     * that again to float16 or bfloat16, to nearest even, gives the correctly rounded value of {@code x} (float32
     * has more than two bits beyond either), where two roundings to nearest could make a tie that is not there.
     * For values of float32's normal range; NaN and infinities pass.
     */
    private static <V> V toOddFloat(TfProgram<V> tf, V x) {
        V nearest = tf.op("Cast", TfProgram.type("DstT", DType.FLOAT32), x);
        V back = tf.op("Cast", TfProgram.type("DstT", DType.FLOAT64), nearest);
        V inexact = tf.op("LogicalAnd", tf.op("NotEqual", back, x), tf.op("IsFinite", nearest));
        V above = tf.op("LogicalAnd", inexact, tf.op("Greater", tf.op("Abs", back), tf.op("Abs", x)));
        V b = tf.op("Bitcast", TfProgram.type("type", DType.INT32), nearest);
        V truncated = tf.op("Sub", b, tf.op("Cast", TfProgram.type("DstT", DType.INT32), above));
        V odd = tf.op("BitwiseOr", truncated, tf.op("Cast", TfProgram.type("DstT", DType.INT32), inexact));
        return tf.op("Bitcast", TfProgram.type("type", DType.FLOAT32), odd);
    }

    /**
     * bfloat16 {@code a} and {@code b} combined by TensorFlow operation {@code type} (add, subtract, multiply or
     * divide) in float64, where every bfloat16 value and every such result of two is normal, then rounded to
     * bfloat16 by {@link #narrow}. float64 has more than twice bfloat16's precision plus two bits, so the float64
     * result rounded to bfloat16 is the exact result rounded once, to nearest even.
     */
    static <V> V inFloat64(TfProgram<V> tf, String type, DType dtype, V a, V b) {
        return narrow(tf, tf.op(type, widen(tf, a, dtype), widen(tf, b, dtype)), dtype);
    }

    /** {@code x != 0} of a floating {@code x}, on the bits: a comparison reads a subnormal as zero. NaN is true. */
    static <V> V nonZero(TfProgram<V> tf, V x, DType dtype) {
        DType bits = bits(dtype);
        V magnitude = tf.op("BitwiseAnd", tf.op("Bitcast", TfProgram.type("type", bits), x),
                tf.scalar(bits, magnitudeMask(bits)));
        return tf.op("NotEqual", magnitude, tf.scalar(bits, 0));
    }
}
