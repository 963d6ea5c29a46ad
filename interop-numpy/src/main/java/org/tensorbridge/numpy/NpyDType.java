package org.tensorbridge.numpy;

import java.nio.ByteOrder;
import java.util.Locale;
import org.tensorbridge.DType;
import org.tensorbridge.UnsupportedDTypeException;

/**
 * NumPy's dtype codes ({@code descr}) for tensorbridge dtypes: {@code |b1}, {@code |i1},
 * {@code |u1}, {@code <i2}, {@code <i4}, {@code <i8}, {@code <f2}, {@code <f4}, {@code <f8}, with
 * either byte order on read. NumPy has no code for bfloat16.
 */
final class NpyDType {
    private NpyDType() {
    }

    /** A parsed {@code descr}: the dtype and the byte order of its elements. */
    record Parsed(DType dtype, ByteOrder order) {
    }

    static String descr(DType dtype) {
        String little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "<" : ">";
        return switch (dtype) {
            case BOOL -> "|b1";
            case INT8 -> "|i1";
            case UINT8 -> "|u1";
            case INT16 -> little + "i2";
            case INT32 -> little + "i4";
            case INT64 -> little + "i8";
            case FLOAT16 -> little + "f2";
            case FLOAT32 -> little + "f4";
            case FLOAT64 -> little + "f8";
            case BFLOAT16 -> throw new UnsupportedDTypeException("dtype is bfloat16, for which NumPy has no code; cast "
                    + "the array to float32 before writing it");
        };
    }

    static Parsed parse(String descr) {
        if (descr.length() != 3) {
            throw unknown(descr);
        }
        char order = descr.charAt(0);
        ByteOrder byteOrder = switch (order) {
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '|', '=' -> ByteOrder.nativeOrder();
            default -> throw unknown(descr);
        };
        DType dtype = switch (descr.substring(1).toLowerCase(Locale.ROOT)) {
            case "b1" -> DType.BOOL;
            case "i1" -> DType.INT8;
            case "u1" -> DType.UINT8;
            case "i2" -> DType.INT16;
            case "i4" -> DType.INT32;
            case "i8" -> DType.INT64;
            case "f2" -> DType.FLOAT16;
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            default -> throw unknown(descr);
        };
        return new Parsed(dtype, byteOrder);
    }

    private static NpyFormatException unknown(String descr) {
        return new NpyFormatException("header field 'descr' is '" + descr + "', which tensorbridge has no dtype for; "
                + "it reads b1, i1, u1, i2, i4, i8, f2, f4 and f8 in either byte order. Convert the array in NumPy "
                + "(array.astype('<f4')) before saving it");
    }
}
