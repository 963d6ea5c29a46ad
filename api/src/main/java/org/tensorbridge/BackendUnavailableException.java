package org.tensorbridge;

/**
 * No usable backend: the one named is unknown or unavailable, or none was found. The message
 * lists every provider seen and why each was refused; {@link Backends#list()} gives the same.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class BackendUnavailableException extends IllegalStateException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-BACKEND-UNAVAILABLE";

    /** @param message what was wrong with which argument, and what to do instead */
    public BackendUnavailableException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with which argument, and what to do instead
     * @param cause the underlying failure
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return CODE;
    }
}
