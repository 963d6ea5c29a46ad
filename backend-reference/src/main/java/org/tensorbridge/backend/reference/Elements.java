package org.tensorbridge.backend.reference;

import java.nio.ByteBuffer;
import org.tensorbridge.DType;
import org.tensorbridge.memory.ElementAccess;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.op.ElementMath;
import org.tensorbridge.spi.Operand;

/**
 * Element values as the reference computes them: floating dtypes as exact {@code double}s, rounded
 * once to the result's dtype; integers as {@code long}s ({@code uint8} as 0 to 255), wrapped to the
 * result's width. Stateless.
 */
final class Elements {
    private Elements() {
    }

    /** The operand's memory for the length of the kernel call, which holds its reference. */
    static ByteBuffer memory(Operand operand) {
        return ((HostStorage) operand.storage()).transientBuffer();
    }

    /** Element {@code index} of {@code a} through unary {@code math}, written to {@code out} at {@code at}. */
    static void unary(ElementMath math, ByteBuffer a, long index, DType dtype, ByteBuffer out, long at) {
        if (dtype.isFloatingPoint()) {
            ElementAccess.writeDouble(out, dtype, at, math.floating(ElementAccess.readDouble(a, dtype, index)));
        } else {
            ElementAccess.writeLong(out, dtype, at, math.integer(ElementAccess.readLong(a, dtype, index)));
        }
    }

    /** Elements {@code i} of {@code a} and {@code j} of {@code b} through binary {@code math}, written to {@code out}. */
    static void binary(ElementMath math, ByteBuffer a, long i, ByteBuffer b, long j, DType dtype, ByteBuffer out,
            long at) {
        if (dtype.isFloatingPoint()) {
            ElementAccess.writeDouble(out, dtype, at, math.floating(ElementAccess.readDouble(a, dtype, i),
                    ElementAccess.readDouble(b, dtype, j)));
        } else {
            ElementAccess.writeLong(out, dtype, at, math.integer(ElementAccess.readLong(a, dtype, i),
                    ElementAccess.readLong(b, dtype, j)));
        }
    }
}
