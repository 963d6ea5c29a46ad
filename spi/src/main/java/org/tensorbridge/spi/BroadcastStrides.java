package org.tensorbridge.spi;

import org.tensorbridge.Shape;

/**
 * Strides that walk an operand in step with a broadcast result: one stride (in elements) per axis of
 * the result, 0 where the operand is broadcast along that axis. A kernel advancing an odometer over
 * the result's axes adds these to find the operand's element.
 *
 * <p>Stateless and thread-safe.
 */
public final class BroadcastStrides {
    private BroadcastStrides() {
    }

    /**
     * The operand's strides aligned to {@code result}'s rank.
     *
     * @throws IllegalArgumentException if {@code operand} does not broadcast to {@code result}
     */
    public static long[] of(Shape operand, Shape result) {
        int offset = result.rank() - operand.rank();
        if (offset < 0) {
            throw new IllegalArgumentException("operand " + operand + " has a higher rank than result " + result);
        }
        long[] own = operand.contiguousStrides();
        long[] aligned = new long[result.rank()];
        for (int axis = 0; axis < operand.rank(); axis++) {
            long size = operand.dim(axis);
            if (size != result.dim(axis + offset) && size != 1) {
                throw new IllegalArgumentException("operand " + operand + " does not broadcast to " + result);
            }
            aligned[axis + offset] = size == 1 ? 0 : own[axis];
        }
        return aligned;
    }
}
