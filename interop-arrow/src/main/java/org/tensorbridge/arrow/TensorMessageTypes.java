package org.tensorbridge.arrow;

import com.google.flatbuffers.FlatBufferBuilder;
import com.google.flatbuffers.Table;
import java.util.function.Function;
import org.apache.arrow.flatbuf.FloatingPoint;
import org.apache.arrow.flatbuf.Int;
import org.apache.arrow.flatbuf.Precision;
import org.apache.arrow.flatbuf.Type;
import org.tensorbridge.DType;
import org.tensorbridge.UnsupportedDTypeException;

/**
 * The value types of Arrow's {@code Tensor} and {@code SparseTensor} messages for tensor dtypes:
 * {@code Int} (signed 8 to 64 bits, unsigned 8) and {@code FloatingPoint}. Arrow's {@code Bool} is one bit
 * per element, so {@code bool} is written as unsigned 8-bit integers, as pyarrow writes a NumPy bool
 * array, and reads back as {@code uint8}. Stateless.
 */
final class TensorMessageTypes {
    private TensorMessageTypes() {
    }

    /** The {@code Type} union tag of {@code dtype}. */
    static byte typeType(DType dtype) {
        return switch (dtype) {
            case BOOL, INT8, UINT8, INT16, INT32, INT64 -> Type.Int;
            case FLOAT16, FLOAT32, FLOAT64 -> Type.FloatingPoint;
            case BFLOAT16 -> throw new UnsupportedDTypeException("Arrow has no bfloat16 type; cast the tensor to "
                    + "float32 (exact) or float16 first");
        };
    }

    /** Builds the {@code Type} union value of {@code dtype}. */
    static int type(FlatBufferBuilder builder, DType dtype) {
        return switch (typeType(dtype)) {
            case Type.Int -> Int.createInt(builder, dtype.byteWidth() * 8, dtype != DType.UINT8 && dtype != DType.BOOL);
            default -> FloatingPoint.createFloatingPoint(builder, switch (dtype) {
                case FLOAT16 -> Precision.HALF;
                case FLOAT32 -> Precision.SINGLE;
                default -> Precision.DOUBLE;
            });
        };
    }

    /**
     * The dtype of a {@code Type} union value, read with {@code union} (a message's {@code type(Table)}).
     *
     * @throws UnsupportedDTypeException for a type without one, naming it
     * @throws MalformedIpcException when the union has no value
     */
    static DType dtype(byte typeType, Function<Table, Table> union) throws MalformedIpcException {
        switch (typeType) {
            case Type.Int -> {
                Int type = (Int) union.apply(new Int());
                if (type == null) {
                    throw new MalformedIpcException("the tensor's Int type has no value");
                }
                return intDType(type.bitWidth(), type.isSigned());
            }
            case Type.FloatingPoint -> {
                FloatingPoint type = (FloatingPoint) union.apply(new FloatingPoint());
                if (type == null) {
                    throw new MalformedIpcException("the tensor's FloatingPoint type has no value");
                }
                return switch (type.precision()) {
                    case Precision.HALF -> DType.FLOAT16;
                    case Precision.SINGLE -> DType.FLOAT32;
                    case Precision.DOUBLE -> DType.FLOAT64;
                    default -> throw new MalformedIpcException("the tensor's FloatingPoint precision is "
                            + type.precision());
                };
            }
            default -> throw new UnsupportedDTypeException("the tensor's values are of Arrow type " + (typeType >= 0
                    && typeType < Type.names.length ? Type.name(typeType) : "number " + typeType) + ", which has no "
                    + "tensor dtype; tensors hold Int and FloatingPoint values (Bool, one bit each, is not read: write "
                    + "bools as uint8, as pyarrow does)");
        }
    }

    /** The dtype of an {@code Int} type, for values. */
    static DType intDType(int bitWidth, boolean signed) throws MalformedIpcException {
        if (bitWidth == 8) {
            return signed ? DType.INT8 : DType.UINT8;
        }
        if (!signed) {
            throw new UnsupportedDTypeException("the tensor's values are unsigned " + bitWidth + "-bit integers, which "
                    + "have no tensor dtype; convert them to a signed type (in NumPy: astype('int64')) first");
        }
        return switch (bitWidth) {
            case 16 -> DType.INT16;
            case 32 -> DType.INT32;
            case 64 -> DType.INT64;
            default -> throw new MalformedIpcException("the tensor's Int type is " + bitWidth + " bits wide; Arrow "
                    + "integers are 8, 16, 32 or 64");
        };
    }
}
