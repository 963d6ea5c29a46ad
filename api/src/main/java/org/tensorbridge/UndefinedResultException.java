package org.tensorbridge;

/**
 * An integer operation has no defined result for its inputs: division by zero, or a negative exponent. Nothing is computed; the message names the operand and what to do instead (for example cast to a floating dtype, where IEEE 754 defines a result).
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class UndefinedResultException extends ArithmeticException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-UNDEFINED-RESULT";

    /** @param message what was wrong with which argument, and what to do instead */
    public UndefinedResultException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return CODE;
    }
}
