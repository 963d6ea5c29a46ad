package org.tensorbridge.numpy;

import org.tensorbridge.TensorBridgeException;

/**
 * A {@code .npy} or {@code .npz} file that is not what it claims: a wrong magic string, a malformed
 * header, an unknown dtype, a shape that the data does not fill, or a truncated file. The message
 * names the file part and what was found. Nothing is returned from a file that fails.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class NpyFormatException extends IllegalArgumentException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-NPY-FORMAT";

    /** @param message what is wrong, and where */
    public NpyFormatException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return CODE;
    }
}
