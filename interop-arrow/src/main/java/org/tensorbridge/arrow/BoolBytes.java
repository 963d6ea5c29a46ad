package org.tensorbridge.arrow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * {@code arrow.bool8} elements to a {@code bool} tensor. Arrow reads any byte other than 0 as true, a
 * {@code bool} tensor holds 0 and 1 only: bytes that are all 0 or 1 are shared as any other dtype
 * ({@link ArrowImport#tensorOver}); any other byte makes the import a copy with those bytes set to 1,
 * which {@code NEVER} refuses. Stateless and thread-safe.
 */
final class BoolBytes {
    private BoolBytes() {
    }

    /** A {@code bool} tensor of {@code shape} over the bytes of {@code data} from {@code offset}, as the class comment says. */
    static Tensor tensorOver(ArrowBuf data, long offset, Shape shape, String column, Backend backend,
            CopyPolicy policy) {
        long count = shape.elementCount();
        long firstOther = -1;
        for (long i = 0; i < count && firstOther < 0; i++) {
            if ((data.getByte(offset + i) & 0xfe) != 0) {
                firstOther = i;
            }
        }
        if (firstOther < 0) {
            return ArrowImport.tensorOver(data, offset, DType.BOOL, shape, backend, policy);
        }
        if (policy == CopyPolicy.NEVER) {
            throw new CopyRequiredException("column " + column + " holds arrow.bool8 byte " + (data.getByte(offset
                    + firstOther) & 0xff) + " at element " + firstOther + ", which Arrow reads as true but a bool tensor holds as 1: "
                    + "sharing needs every byte 0 or 1. Use CopyPolicy.IF_NEEDED to import a copy with such bytes made 1");
        }
        if (count > Integer.MAX_VALUE) {
            throw new ArrowLayoutException("column " + column + " has " + count + " arrow.bool8 elements, more than "
                    + "one buffer holds; import it in smaller record batches");
        }
        ByteBuffer normalized = ByteBuffer.allocateDirect((int) count).order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++) {
            normalized.put(i, data.getByte(offset + i) == 0 ? (byte) 0 : (byte) 1);
        }
        return backend.fromBuffer(normalized, DType.BOOL, shape, CopyPolicy.IF_NEEDED);
    }
}
