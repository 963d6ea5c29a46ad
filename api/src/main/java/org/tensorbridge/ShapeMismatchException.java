package org.tensorbridge;

/**
 * Shapes that do not fit: data of the wrong length, operands that cannot be broadcast, a
 * matrix product with mismatched inner dimensions, a reshape to a different element count, or a
 * Java array that is ragged. The message names the argument and both shapes.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class ShapeMismatchException extends IllegalArgumentException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-SHAPE";

    /** @param message what was wrong with which argument, and what to do instead */
    public ShapeMismatchException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with which argument, and what to do instead
     * @param cause the underlying failure
     */
    public ShapeMismatchException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return CODE;
    }
}
