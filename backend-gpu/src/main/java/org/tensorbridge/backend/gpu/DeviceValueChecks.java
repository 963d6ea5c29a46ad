package org.tensorbridge.backend.gpu;

import org.tensorbridge.DType;
import org.tensorbridge.op.Guard;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.spi.ValueChecks;

/**
 * The guards' checks on the device: {@code any_zero_W} (by element width) for a divisor,
 * {@code any_negative} (in the dtype's program) for an integer exponent. One int flag comes back; no
 * element does. A {@code uint8} operand holds no negative value, so that check launches nothing.
 * A condition added to {@link Guard.Condition} after this backend was written is checked by
 * {@code fallback} (the spi's host check).
 *
 * <p>Thread-safe: each check runs in one locked block of the context.
 */
final class DeviceValueChecks implements ValueChecks {
    private final ClContext cl;
    private final ValueChecks fallback;

    DeviceValueChecks(ClContext cl, ValueChecks fallback) {
        this.cl = cl;
        this.fallback = fallback;
    }

    @Override
    public boolean holds(Operand operand, Guard.Condition condition) {
        long n = operand.shape().elementCount();
        DType dtype = operand.dtype();
        String kernel;
        String program;
        if (condition == Guard.Condition.ZERO) {
            program = ProgramSources.COMMON;
            kernel = "any_zero_" + dtype.byteWidth();
        } else if (condition == Guard.Condition.NEGATIVE && dtype.isNumeric()) {
            if (dtype == DType.UINT8) {
                return false;
            }
            program = dtype.name();
            kernel = "any_negative";
        } else {
            return fallback.holds(operand, condition);
        }
        if (n == 0) {
            return false;
        }
        return cl.locked(q -> {
            try (Scratch flag = q.scratch(Integer.BYTES)) {
                q.writeInt(flag.memory(), 0, 0);
                q.kernel(program, kernel).mem(DeviceMemory.device(operand)).i64(n).mem(flag).run(n);
                return q.readInt(flag.memory(), 0) != 0;
            }
        });
    }
}
