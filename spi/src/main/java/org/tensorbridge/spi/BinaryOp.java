package org.tensorbridge.spi;

/**
 * The elementwise binary operations a backend's kernels implement, with NumPy broadcasting.
 *
 * <p>Immutable and thread-safe.
 */
public enum BinaryOp {
    /** {@code a + b}. */
    ADD("add"),
    /** {@code a - b}. */
    SUBTRACT("subtract"),
    /** {@code a * b}. */
    MULTIPLY("multiply"),
    /** {@code a / b}; integers truncate toward zero, and a zero integer divisor is an error. */
    DIVIDE("divide");

    private final String operationName;

    BinaryOp(String operationName) {
        this.operationName = operationName;
    }

    /** The operation's name as users call it, for messages. */
    public String operationName() {
        return operationName;
    }
}
