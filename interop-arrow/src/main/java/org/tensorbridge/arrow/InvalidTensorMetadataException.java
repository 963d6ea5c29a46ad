package org.tensorbridge.arrow;

import java.util.Objects;
import org.apache.arrow.vector.extension.InvalidExtensionMetadataException;
import org.tensorbridge.TensorBridgeException;

/**
 * {@code arrow.fixed_shape_tensor} (or {@code arrow.bool8}) metadata or storage that breaks a rule of the
 * Arrow canonical extension specification. {@link #rule()} says which one; the message names the
 * offending value and what a valid one looks like.
 *
 * <p>It extends Arrow's own {@link InvalidExtensionMetadataException}, so code that already handles
 * Arrow's extension errors handles this one too. Immutable.
 *
 * <p>Diagnostic code {@value #CODE}.
 */
public final class InvalidTensorMetadataException extends InvalidExtensionMetadataException
        implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-ARROW-EXTENSION-METADATA";

    /** The rule of the specification that was broken. */
    public enum Rule {
        /** The metadata must be a JSON object. */
        NOT_A_JSON_OBJECT,
        /** The object must have a {@code shape} member. */
        MISSING_SHAPE,
        /** {@code shape} must be an array of integers. */
        SHAPE_NOT_INTEGERS,
        /** Every dimension in {@code shape} must be 0 or more. */
        NEGATIVE_DIMENSION,
        /** The product of {@code shape} must fit a FixedSizeList's {@code int} list size. */
        SHAPE_TOO_LARGE,
        /** {@code dim_names}, when present, must be an array of strings. */
        DIM_NAMES_NOT_STRINGS,
        /** {@code dim_names}, when present, must have one name per dimension of {@code shape}. */
        DIM_NAMES_WRONG_LENGTH,
        /** {@code permutation}, when present, must be a permutation of {@code [0, 1, .., N-1]}. */
        NOT_A_PERMUTATION,
        /** The storage type must be a FixedSizeList. */
        STORAGE_NOT_FIXED_SIZE_LIST,
        /** The storage's list size must be the product of {@code shape}. */
        LIST_SIZE_NOT_SHAPE_PRODUCT,
        /** {@code arrow.bool8} is stored as {@code Int8}. */
        BOOL8_STORAGE_NOT_INT8;

        private String extension() {
            return this == BOOL8_STORAGE_NOT_INT8 ? Bool8Type.EXTENSION_NAME : FixedShapeTensorType.EXTENSION_NAME;
        }
    }

    private final Rule rule;

    /**
     * @param rule the rule that was broken
     * @param message what was wrong, with the offending value, and what a valid value looks like
     */
    public InvalidTensorMetadataException(Rule rule, String message) {
        super(Objects.requireNonNull(rule, "rule").extension() + " rule " + rule + ": " + message);
        this.rule = rule;
    }

    /**
     * @param rule the rule that was broken
     * @param message what was wrong
     * @param cause the parser's error
     */
    public InvalidTensorMetadataException(Rule rule, String message, Throwable cause) {
        super(Objects.requireNonNull(rule, "rule").extension() + " rule " + rule + ": " + message, cause);
        this.rule = rule;
    }

    /** The rule that was broken. */
    public Rule rule() {
        return rule;
    }

    @Override
    public String code() {
        return CODE;
    }
}
