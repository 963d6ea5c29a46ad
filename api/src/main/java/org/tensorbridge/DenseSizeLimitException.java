package org.tensorbridge;

/**
 * A sparse tensor was asked to become dense with a limit smaller than its dense size. The message
 * gives the dense shape and element count; raise the limit if the dense array really fits, or stay
 * sparse.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class DenseSizeLimitException extends IllegalArgumentException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-DENSE-LIMIT";

    /** @param message the dense size, the limit, and what to do */
    public DenseSizeLimitException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return CODE;
    }
}
