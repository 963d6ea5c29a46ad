package org.tensorbridge.backend.cpu;

import java.nio.ByteBuffer;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.spi.BroadcastStrides;
import org.tensorbridge.UndefinedResultException;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.spi.Operand;

/**
 * Integer division with broadcasting, in Java rather than in ND4J's kernel. Why: x86's {@code idiv}
 * raises SIGFPE for a zero divisor and for the minimum value divided by -1, and a SIGFPE in native
 * code kills the JVM. The base class refuses zero divisors before the kernel runs, but memory shared
 * with the caller (a wrapped buffer, a writable view) can change after that check; Java's division
 * reads each divisor once and throws {@link UndefinedResultException} instead of trapping, and wraps the
 * minimum divided by -1 to the minimum, as Java does.
 */
final class IntegerDivision {
    private IntegerDivision() {
    }

    static void divide(Operand a, Operand b, Operand result) {
        ByteBuffer x = ((HostStorage) a.storage()).transientBuffer();
        ByteBuffer y = ((HostStorage) b.storage()).transientBuffer();
        ByteBuffer z = ((HostStorage) result.storage()).transientBuffer();
        DType dtype = result.dtype();
        Shape shape = result.shape();
        long[] strideA = BroadcastStrides.of(a.shape(), shape);
        long[] strideB = BroadcastStrides.of(b.shape(), shape);
        int rank = shape.rank();
        long[] counter = new long[rank];
        long at = 0;
        long bt = 0;
        long count = shape.elementCount();
        for (long i = 0; i < count; i++) {
            long divisor = read(y, dtype, bt);
            if (divisor == 0) {
                throw new UndefinedResultException("divide(a, b): b holds a zero (it changed after it was checked: another "
                        + "thread writes its memory); integer division by zero is undefined");
            }
            write(z, dtype, i, read(x, dtype, at) / divisor);
            for (int axis = rank - 1; axis >= 0; axis--) {
                counter[axis]++;
                at += strideA[axis];
                bt += strideB[axis];
                if (counter[axis] < shape.dim(axis)) {
                    break;
                }
                at -= strideA[axis] * counter[axis];
                bt -= strideB[axis] * counter[axis];
                counter[axis] = 0;
            }
        }
    }

    private static long read(ByteBuffer buffer, DType dtype, long index) {
        int at = (int) (index * dtype.byteWidth());
        return switch (dtype) {
            case INT8 -> buffer.get(at);
            case UINT8 -> buffer.get(at) & 0xff;
            case INT16 -> buffer.getShort(at);
            case INT32 -> buffer.getInt(at);
            case INT64 -> buffer.getLong(at);
            default -> throw new IllegalArgumentException("not an integer dtype: " + dtype);
        };
    }

    /** Stores the low bits, so that the minimum divided by -1 wraps to the minimum as in Java. */
    private static void write(ByteBuffer buffer, DType dtype, long index, long value) {
        int at = (int) (index * dtype.byteWidth());
        switch (dtype) {
            case INT8, UINT8 -> buffer.put(at, (byte) value);
            case INT16 -> buffer.putShort(at, (short) value);
            case INT32 -> buffer.putInt(at, (int) value);
            case INT64 -> buffer.putLong(at, value);
            default -> throw new IllegalArgumentException("not an integer dtype: " + dtype);
        }
    }
}
