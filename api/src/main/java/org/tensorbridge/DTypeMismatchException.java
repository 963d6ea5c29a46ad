package org.tensorbridge;

/**
 * Element types that do not fit: operands of different dtypes, an accessor for another dtype,
 * arithmetic on {@code bool}, or a scalar that the tensor's dtype cannot represent exactly. The
 * message names the argument and the cast that fixes it.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class DTypeMismatchException extends IllegalArgumentException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-DTYPE";

    /** @param message what was wrong with which argument, and what to do instead */
    public DTypeMismatchException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with which argument, and what to do instead
     * @param cause the underlying failure
     */
    public DTypeMismatchException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return CODE;
    }
}
