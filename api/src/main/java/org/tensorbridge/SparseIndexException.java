package org.tensorbridge;

/**
 * A sparse tensor's index lies outside its dense shape, or a CSR column outside the matrix. The message names the first offending entry, its position and value, and the valid range.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class SparseIndexException extends IndexOutOfBoundsException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-SPARSE-INDEX";

    /** @param message what was wrong with which argument, and what to do instead */
    public SparseIndexException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return CODE;
    }
}
