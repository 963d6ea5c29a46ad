package org.tensorbridge;

/**
 * Implemented by every exception that tensorbridge defines, so that callers can catch by JDK
 * type ({@link IllegalArgumentException}, {@link IllegalStateException},
 * {@link UnsupportedOperationException}) and still read a stable diagnostic code.
 *
 * <p>Codes are listed in the README's troubleshooting table and never change meaning.
 */
public interface TensorBridgeException {
    /** A stable code such as {@code TB-COPY-REQUIRED}, for looking the problem up. */
    String code();
}
