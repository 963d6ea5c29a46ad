package org.tensorbridge.backend.tensorflow;

import org.tensorbridge.DType;

/**
 * {@code cast} as Java converts, in TensorFlow operations. TensorFlow's own Cast differs in four places, each
 * corrected here: floating point to an integer gives the most negative integer for NaN and out-of-range values
 * (Java sends NaN to 0 and saturates at int's or long's range, then keeps the low bits for uint8); a cast to
 * bool, float32 to float64 and bfloat16 to float64 read a subnormal input as zero, and float64 to float32 writes
 * a subnormal result as zero (TensorFlow's kernels run with subnormals flushed); float64 and the integers to
 * float16 and bfloat16 round twice, through float32 (ties that are not there). Those casts are computed on the
 * bits ({@link Subnormals}). A cast to the same dtype copies (TensorFlow returns its input). Stateless.
 */
final class TfCasts {
    private TfCasts() {
    }

    /** {@code a} of dtype {@code from} converted to {@code to}. */
    static <V> V cast(TfProgram<V> tf, V a, DType from, DType to) {
        if (from == to) {
            return tf.op("DeepCopy", a);
        }
        if (from.isFloatingPoint() && to == DType.BOOL) {
            return Subnormals.nonZero(tf, a, from);
        }
        if (from.isFloatingPoint() && to.isInteger()) {
            return toInteger(tf, a, from, to);
        }
        if (to == DType.FLOAT64 && from.isFloatingPoint()) {
            return Subnormals.widen(tf, a, from);
        }
        boolean half = to == DType.FLOAT16 || to == DType.BFLOAT16;
        if (from == DType.FLOAT64 && (half || to == DType.FLOAT32)) {
            return Subnormals.narrow(tf, a, to);
        }
        if (half && (from == DType.INT32 || from == DType.INT64)) { // as Java: (double) v, then rounded once
            return Subnormals.narrow(tf, tf.op("Cast", TfProgram.type("DstT", DType.FLOAT64), a), to);
        }
        // Exact, or rounded once by TensorFlow: integers to float32 and float64, between float16, bfloat16 and
        // float32, bool and uint8 to anything, integers to integers (low bits).
        return tf.op("Cast", TfProgram.type("DstT", to), a);
    }

    /**
     * Floating point to an integer as Java converts: truncated toward zero, saturated at int's (long's) range,
     * NaN to 0, then the low bits for uint8.
     */
    private static <V> V toInteger(TfProgram<V> tf, V a, DType from, DType to) {
        DType wide = to == DType.INT64 ? DType.INT64 : DType.INT32;
        double limit = from == DType.FLOAT16 ? Double.POSITIVE_INFINITY : wide == DType.INT64 ? 0x1p63 : 0x1p31;
        V truncated = tf.op("Cast", TfProgram.type("DstT", wide), a);
        V saturated = tf.op("SelectV2", tf.op("GreaterEqual", a, tf.scalar(from, limit)),
                tf.scalar(wide, wide == DType.INT64 ? Long.MAX_VALUE : Integer.MAX_VALUE), truncated);
        V exact = tf.op("SelectV2", tf.op("IsNan", a), tf.scalar(wide, 0), saturated);
        return wide == to ? exact : tf.op("Cast", TfProgram.type("DstT", to), exact);
    }
}
