package org.tensorbridge.arrow;

import org.tensorbridge.TensorBridgeException;

/**
 * An Arrow column, record batch, file block or buffer that is not the layout the call takes: a plain
 * column given where a tensor column belongs, a column whose elements are not fixed-width numbers, a
 * record batch without the columns or metadata of the sparse layout, a vector whose buffers disagree
 * with its value count, more bytes than one buffer holds. The message names the column or argument and
 * what would work. Nothing is converted from input that fails.
 *
 * <p>Immutable. Diagnostic code {@value #CODE}.
 */
public final class ArrowLayoutException extends IllegalArgumentException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-ARROW-LAYOUT";

    /** @param message what is wrong with which column or argument, and what to do instead */
    public ArrowLayoutException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong with which column or argument, and what to do instead
     * @param cause the underlying failure
     */
    public ArrowLayoutException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return CODE;
    }
}
