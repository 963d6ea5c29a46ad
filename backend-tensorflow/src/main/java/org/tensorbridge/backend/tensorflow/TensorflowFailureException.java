package org.tensorbridge.backend.tensorflow;

import org.tensorbridge.TensorBridgeException;

/**
 * TensorFlow refused something that tensorbridge had already checked: an allocation, or an operation
 * on input that passed every rule. The message carries TensorFlow's own. Diagnostic code {@value #CODE}.
 */
public final class TensorflowFailureException extends IllegalStateException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-TENSORFLOW";

    /** @param message what failed, with TensorFlow's message */
    public TensorflowFailureException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return CODE;
    }
}
