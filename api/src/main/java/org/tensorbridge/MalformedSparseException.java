package org.tensorbridge;

/**
 * A sparse tensor's parts break their format: a CSR {@code indptr} that does not start at 0, decreases, or does not end at nnz. The message names the first offending entry.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class MalformedSparseException extends IllegalArgumentException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-SPARSE-MALFORMED";

    /** @param message what was wrong with which argument, and what to do instead */
    public MalformedSparseException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return CODE;
    }
}
