package org.tensorbridge;

/**
 * A tensor, host array or other resource was used after {@code close()}. The message names the
 * resource; keep it open until every use is done, or take a host array before closing.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class ClosedResourceException extends IllegalStateException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-CLOSED";

    /** @param message what was wrong with which argument, and what to do instead */
    public ClosedResourceException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with which argument, and what to do instead
     * @param cause the underlying failure
     */
    public ClosedResourceException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return CODE;
    }
}
