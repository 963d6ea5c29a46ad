package org.tensorbridge.flight;

import org.tensorbridge.TensorBridgeException;

/**
 * A name to publish, get, put or delete that a tensor Flight server does not take: empty, longer than
 * {@value TensorNames#MAX_LENGTH} characters, or with a character other than ASCII letters, digits,
 * {@code .}, {@code _}, {@code -} and {@code /} (the names travel as Flight paths and tickets, and
 * appear in file names and log lines). The server refuses such a request with {@code INVALID_ARGUMENT}
 * and this message. Immutable.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class InvalidTensorNameException extends IllegalArgumentException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-FLIGHT-NAME";

    /** @param message what is wrong with the name, and a name that works */
    public InvalidTensorNameException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return CODE;
    }
}
