package org.tensorbridge;

/**
 * A tensor is larger than the backend can hold: its byte size exceeds the backend's
 * {@link BackendCapabilities#maxTensorBytes()}, or overflows {@code long}. Nothing was allocated; the
 * message gives the shape, the bytes it needs and the limit.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class CapacityException extends IllegalArgumentException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-CAPACITY";

    /** @param message what was wrong with which argument, and what to do instead */
    public CapacityException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return CODE;
    }
}
