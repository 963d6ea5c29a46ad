package org.tensorbridge;

/**
 * A write through a read-only host array. Ask for {@link Access#WRITABLE} when converting, or
 * take an independent copy with {@link CopyPolicy#ALWAYS}.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class ReadOnlyException extends UnsupportedOperationException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-READ-ONLY";

    /** @param message what was wrong with which argument, and what to do instead */
    public ReadOnlyException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with which argument, and what to do instead
     * @param cause the underlying failure
     */
    public ReadOnlyException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return CODE;
    }
}
