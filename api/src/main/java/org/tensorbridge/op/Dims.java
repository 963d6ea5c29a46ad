package org.tensorbridge.op;

import java.util.Arrays;
import org.tensorbridge.Shape;

/**
 * Dimension vectors whose sizes may be unknown ({@code -1}) while a graph is built, as shape rules
 * see them: formatting for messages and fitting a concrete shape. Stateless.
 */
public final class Dims {
    private Dims() {
    }

    /** {@code [2, ?, 3]}: unknown sizes as {@code ?}. */
    public static String format(long[] dims) {
        return Arrays.toString(Arrays.stream(dims).mapToObj(d -> d < 0 ? "?" : Long.toString(d)).toArray());
    }

    /** True if every size is known. */
    public static boolean isKnown(long[] dims) {
        return Arrays.stream(dims).allMatch(d -> d >= 0);
    }

    /** True if {@code actual} fits {@code declared}: same rank, every known size equal. */
    public static boolean fits(long[] declared, Shape actual) {
        if (declared.length != actual.rank()) {
            return false;
        }
        for (int i = 0; i < declared.length; i++) {
            if (declared[i] >= 0 && declared[i] != actual.dim(i)) {
                return false;
            }
        }
        return true;
    }
}
