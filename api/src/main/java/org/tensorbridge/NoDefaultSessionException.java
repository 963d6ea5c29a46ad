package org.tensorbridge;

/**
 * {@code eval()} was called on a thread with no default session. Evaluate with
 * {@code symbol.eval(session)}, or open a scope:
 * {@code try (var scope = session.asDefault()) { symbol.eval(); }}.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class NoDefaultSessionException extends IllegalStateException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-NO-SESSION";

    /** @param message what was evaluated and how to give it a session */
    public NoDefaultSessionException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return CODE;
    }
}
