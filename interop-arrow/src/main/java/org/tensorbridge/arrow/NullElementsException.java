package org.tensorbridge.arrow;

import org.tensorbridge.TensorBridgeException;

/**
 * An Arrow column with null rows or null elements was to become a tensor or a host array, which have
 * no notion of null. The message names the column, how many nulls it has and where the first one is.
 * Fill or drop the nulls in Arrow first (every value valid), then convert.
 *
 * <p>Immutable. Diagnostic code {@value #CODE}.
 */
public final class NullElementsException extends IllegalArgumentException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-ARROW-NULL-ELEMENTS";

    /** @param message which column, how many nulls, the first one, and what to do */
    public NullElementsException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return CODE;
    }
}
