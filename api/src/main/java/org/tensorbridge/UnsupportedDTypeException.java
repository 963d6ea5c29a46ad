package org.tensorbridge;

/**
 * A backend does not support a dtype; {@link BackendCapabilities#supportedDTypes()} lists those it
 * does. The message names the backend and the dtypes it offers.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class UnsupportedDTypeException extends UnsupportedOperationException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-DTYPE-UNSUPPORTED";

    /** @param message what was wrong with which argument, and what to do instead */
    public UnsupportedDTypeException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with which argument, and what to do instead
     * @param cause the underlying failure
     */
    public UnsupportedDTypeException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return CODE;
    }
}
