package org.tensorbridge.tck.report;

import org.tensorbridge.TensorBridgeException;

/**
 * A class path given to certify backend jars ({@code tensorbridge conformance --classpath}) that cannot
 * be used: empty, or with an entry that does not exist. The message names the entry and what to pass.
 * Nothing is loaded or tested.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class BackendClassPathException extends IllegalArgumentException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-TCK-CLASSPATH";

    /** @param message what is wrong with which entry, and what to pass instead */
    public BackendClassPathException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return CODE;
    }
}
