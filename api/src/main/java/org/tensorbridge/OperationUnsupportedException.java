package org.tensorbridge;

/**
 * A backend has no kernel for an operation (or for the operation on that dtype). A backend supports
 * exactly the operations it supplies kernels for, so an operation added to tensorbridge after a
 * backend was written is refused with this exception rather than breaking the backend. The message
 * names the operation, the backend and what to do: another backend, another dtype, or the operation
 * list that {@link BackendCapabilities#operations()} gives.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class OperationUnsupportedException extends UnsupportedOperationException
        implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-OP-UNSUPPORTED";

    /** @param message what was wrong with which argument, and what to do instead */
    public OperationUnsupportedException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return CODE;
    }
}
