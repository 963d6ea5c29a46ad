package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import org.tensorbridge.op.Guard;

/**
 * Checks of input values that operations' {@link Guard}s need before their kernel runs (integer
 * division by zero, negative integer exponents): one answer comes back, never the elements. The
 * default, {@link #onHost}, reads the operand on the host (a copy for device memory); a device backend
 * may supply a kernel instead.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ValueChecks {
    /** True if integer {@code operand} (pinned, non-empty) holds an element meeting {@code condition}. */
    boolean holds(Operand operand, Guard.Condition condition);

    /** The default: reads the elements through {@code memory} on the host. */
    static ValueChecks onHost(Memory memory) {
        return (operand, condition) -> {
            ByteBuffer bytes = HostCopies.download(memory, operand);
            int width = operand.dtype().byteWidth();
            boolean unsigned = operand.dtype() == org.tensorbridge.DType.UINT8;
            for (int at = 0; at < bytes.limit(); at += width) {
                long value = switch (width) {
                    case 1 -> unsigned ? bytes.get(at) & 0xff : bytes.get(at);
                    case 2 -> bytes.getShort(at);
                    case 4 -> bytes.getInt(at);
                    default -> bytes.getLong(at);
                };
                if (condition == Guard.Condition.ZERO ? value == 0 : value < 0) {
                    return true;
                }
            }
            return false;
        };
    }
}
