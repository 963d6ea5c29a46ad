package org.tensorbridge.backend.tensorflow;

import java.util.Arrays;
import org.tensorbridge.DType;
import org.tensorbridge.ShapeMismatchException;

/**
 * The shapes TensorFlow's {@code TensorShape} accepts: at most {@link #MAX_RANK} dimensions, whose product,
 * taken in order, stays within a signed 64-bit count at every step (a zero later in the shape does not save a
 * product that overflowed before it). TensorFlow aborts the process on any other shape, so every shape is
 * checked here before it reaches a TensorFlow allocation. Stateless.
 */
final class TfShapes {
    /** TensorFlow's {@code TensorShape::MaxDimensions()}. */
    static final int MAX_RANK = 254;

    private TfShapes() {
    }

    /** Throws {@link ShapeMismatchException}, beginning with {@code argument}, for a shape TensorFlow cannot hold. */
    static void requireHoldable(long[] dims, String argument) {
        if (overflowingPrefix(dims) != 0) {
            throw refusal(dims, argument);
        }
    }

    /**
     * The same check just before a TensorFlow tensor is made: the message is built only when refusing, since
     * this runs on every allocation.
     */
    static void requireHoldable(long[] dims, DType dtype) {
        if (overflowingPrefix(dims) != 0) {
            throw refusal(dims, "the shape of a " + dtype.displayName() + " tensor for TensorFlow");
        }
    }

    /** -1 if there are too many dimensions, else how many leading ones overflow a 64-bit count, 0 if none do. */
    private static int overflowingPrefix(long[] dims) {
        if (dims.length > MAX_RANK) {
            return -1;
        }
        long product = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != 0 && product > Long.MAX_VALUE / dims[i]) {
                return i + 1;
            }
            product *= dims[i];
        }
        return 0;
    }

    private static ShapeMismatchException refusal(long[] dims, String argument) {
        int prefix = overflowingPrefix(dims);
        if (prefix < 0) {
            return new ShapeMismatchException(argument + " has " + dims.length + " dimensions, but TensorFlow holds at "
                    + "most " + MAX_RANK + "; reshape to fewer dimensions, or use another backend");
        }
        return new ShapeMismatchException(argument + " " + Arrays.toString(dims) + " cannot be held by TensorFlow: it "
                + "multiplies the dimensions in order, and the first " + prefix + " multiply past a 64-bit count "
                + "before the zero that empties the shape; put the zero dimension first");
    }
}
