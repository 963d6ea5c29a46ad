package org.tensorbridge;

/**
 * Element types of tensors and host arrays.
 *
 * <p>Each constant knows its width in bytes. Elements are stored in the platform's native byte
 * order. {@link #FLOAT16} is IEEE 754 binary16 and {@link #BFLOAT16} is the upper half of a
 * binary32; both are read and written as {@code float} through {@link Float16} and
 * {@link BFloat16}.
 *
 * <p>Immutable and thread-safe.
 */
public enum DType {
    /** One byte per element, 0 for false and 1 for true. */
    BOOL(1, Kind.BOOLEAN),
    /** Signed 8-bit integer. */
    INT8(1, Kind.SIGNED_INTEGER),
    /** Unsigned 8-bit integer; Java reads it as a {@code byte} holding the same bits. */
    UINT8(1, Kind.UNSIGNED_INTEGER),
    /** Signed 16-bit integer. */
    INT16(2, Kind.SIGNED_INTEGER),
    /** Signed 32-bit integer. */
    INT32(4, Kind.SIGNED_INTEGER),
    /** Signed 64-bit integer. */
    INT64(8, Kind.SIGNED_INTEGER),
    /** IEEE 754 half precision. */
    FLOAT16(2, Kind.FLOATING_POINT),
    /** Brain floating point: 8 exponent bits, 7 mantissa bits. */
    BFLOAT16(2, Kind.FLOATING_POINT),
    /** IEEE 754 single precision. */
    FLOAT32(4, Kind.FLOATING_POINT),
    /** IEEE 754 double precision. */
    FLOAT64(8, Kind.FLOATING_POINT);

    private enum Kind { BOOLEAN, SIGNED_INTEGER, UNSIGNED_INTEGER, FLOATING_POINT }

    private final int byteWidth;
    private final Kind kind;

    DType(int byteWidth, Kind kind) {
        this.byteWidth = byteWidth;
        this.kind = kind;
    }

    /** Bytes per element. */
    public int byteWidth() {
        return byteWidth;
    }

    /** True for the four floating-point types. */
    public boolean isFloatingPoint() {
        return kind == Kind.FLOATING_POINT;
    }

    /** True for the signed and unsigned integer types. */
    public boolean isInteger() {
        return kind == Kind.SIGNED_INTEGER || kind == Kind.UNSIGNED_INTEGER;
    }

    /** True for every type except {@link #BOOL}: the types arithmetic is defined on. */
    public boolean isNumeric() {
        return kind != Kind.BOOLEAN;
    }

    /** The name used in messages and reports, for example {@code float32}. */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
