package org.tensorbridge.backend.gpu;

import java.nio.ByteBuffer;
import org.tensorbridge.BFloat16;
import org.tensorbridge.DType;
import org.tensorbridge.Float16;
import org.tensorbridge.HostArray;

/**
 * Elements as their bit patterns, for bit-for-bit comparisons: every NaN is one value. IEEE 754, Java and
 * OpenCL leave the sign and payload of a NaN that an operation produces unspecified (on x86 a new NaN is
 * negative, Java's {@code Double.NaN} positive, vectorised math libraries pick their own), so comparing
 * them would compare accidents; every other pattern, {@code -0} included, must match.
 */
final class Bits {
    /** The pattern every NaN compares as. */
    static final long NAN = Long.MIN_VALUE;

    private Bits() {
    }

    /** Each element's bit pattern (unsigned, zero-extended), NaNs as {@link #NAN}. */
    static long[] of(HostArray host) {
        DType dtype = host.dtype();
        ByteBuffer bytes = host.asByteBuffer();
        int n = Math.toIntExact(host.shape().elementCount());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = element(bytes, dtype, i);
        }
        return out;
    }

    private static long element(ByteBuffer bytes, DType dtype, int i) {
        int at = i * dtype.byteWidth();
        return switch (dtype) {
            case FLOAT16 -> Float.isNaN(Float16.toFloat(bytes.getShort(at))) ? NAN : bytes.getShort(at) & 0xffff;
            case BFLOAT16 -> Float.isNaN(BFloat16.toFloat(bytes.getShort(at))) ? NAN : bytes.getShort(at) & 0xffff;
            case FLOAT32 -> Float.isNaN(bytes.getFloat(at)) ? NAN : bytes.getInt(at) & 0xffffffffL;
            case FLOAT64 -> Double.isNaN(bytes.getDouble(at)) ? NAN : bytes.getLong(at);
            default -> switch (dtype.byteWidth()) {
                case 1 -> bytes.get(at) & 0xff;
                case 2 -> bytes.getShort(at) & 0xffff;
                case 4 -> bytes.getInt(at) & 0xffffffffL;
                default -> bytes.getLong(at);
            };
        };
    }

    /** The element's value as a double, for messages and ulp distances. */
    static double value(HostArray host, int i) {
        return host.convertToDoubleArray()[i];
    }
}
