package org.tensorbridge.arrow;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.tensorbridge.DType;
import org.tensorbridge.UnsupportedDTypeException;

/**
 * The correspondence between tensor dtypes and Arrow element types whose memory layout is the same,
 * so that one can alias the other without a copy: {@code int8/16/32/64} and {@code uint8} to Arrow
 * {@code Int}, {@code float16/32/64} to {@code FloatingPoint}, {@code bool} (one byte per element) to the
 * canonical extension {@code arrow.bool8} ({@link Bool8Type}). {@code bfloat16} has no Arrow type, and
 * Arrow's bit-packed {@code Bool} and its {@code uint16/32/64} have no dtype: they are refused, naming a
 * cast that works. Stateless and thread-safe.
 */
final class ElementTypes {
    private ElementTypes() {
    }

    /**
     * The Arrow type with {@code dtype}'s layout.
     *
     * @throws UnsupportedDTypeException for {@code bool} and {@code bfloat16}, naming a cast that works
     */
    static ArrowType arrowType(DType dtype) {
        return switch (dtype) {
            case INT8 -> new ArrowType.Int(8, true);
            case UINT8 -> new ArrowType.Int(8, false);
            case INT16 -> new ArrowType.Int(16, true);
            case INT32 -> new ArrowType.Int(32, true);
            case INT64 -> new ArrowType.Int(64, true);
            case FLOAT16 -> new ArrowType.FloatingPoint(FloatingPointPrecision.HALF);
            case FLOAT32 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case BOOL -> Bool8Type.INSTANCE;
            case BFLOAT16 -> throw new UnsupportedDTypeException("Arrow has no bfloat16 type; cast the tensor to "
                    + "float32 (exact) or float16 first");
        };
    }

    /**
     * The dtype with {@code type}'s layout.
     *
     * @throws UnsupportedDTypeException for Arrow types without one, naming the type
     */
    static DType dtype(ArrowType type) {
        if (type instanceof Bool8Type) {
            return DType.BOOL;
        }
        if (type instanceof ArrowType.Bool) {
            throw new UnsupportedDTypeException("Arrow element type Bool holds one bit per element but bool tensors "
                    + "hold one byte, so they cannot share memory; cast the column to arrow.bool8 first (pyarrow: "
                    + "pc.cast(array, pa.bool8()))");
        }
        if (type instanceof ArrowType.Int i) {
            return switch (i.getBitWidth()) {
                case 8 -> i.getIsSigned() ? DType.INT8 : DType.UINT8;
                case 16 -> signed(i, DType.INT16);
                case 32 -> signed(i, DType.INT32);
                case 64 -> signed(i, DType.INT64);
                default -> throw unsupported(type);
            };
        }
        if (type instanceof ArrowType.FloatingPoint f) {
            return switch (f.getPrecision()) {
                case HALF -> DType.FLOAT16;
                case SINGLE -> DType.FLOAT32;
                case DOUBLE -> DType.FLOAT64;
            };
        }
        throw unsupported(type);
    }

    private static DType signed(ArrowType.Int type, DType dtype) {
        if (!type.getIsSigned()) {
            throw new UnsupportedDTypeException("Arrow element type " + type + " is unsigned; tensors have no unsigned "
                    + dtype.byteWidth() * 8 + "-bit dtype. Cast the column to a signed type or to " + dtype.displayName()
                    + " in Arrow first");
        }
        return dtype;
    }

    private static UnsupportedDTypeException unsupported(ArrowType type) {
        return new UnsupportedDTypeException("Arrow element type " + type + " has no tensor dtype with the same memory "
                + "layout; tensors hold int8/16/32/64, uint8, float16/32/64 and arrow.bool8 elements");
    }
}
