package org.tensorbridge;

/**
 * A conversion under {@link CopyPolicy#NEVER} cannot be met without a copy: the memory is on a
 * device, the backend cannot share it, or a writable share was asked of memory that cannot be
 * written. The message names the device and the policy that would work.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class CopyRequiredException extends UnsupportedOperationException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-COPY-REQUIRED";

    /** @param message what was wrong with which argument, and what to do instead */
    public CopyRequiredException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with which argument, and what to do instead
     * @param cause the underlying failure
     */
    public CopyRequiredException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return CODE;
    }
}
