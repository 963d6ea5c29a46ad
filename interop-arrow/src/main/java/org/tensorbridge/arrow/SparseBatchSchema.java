package org.tensorbridge.arrow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;

/**
 * The layout of a sparse tensor as an Arrow record batch, in COO form: one row per stored element,
 * with the column {@value #INDICES} ({@code FixedSizeList<int64>[rank]}, the element's index) and the
 * column {@value #VALUES} (the element); the schema's metadata holds the dense shape under
 * {@value #DENSE_SHAPE_KEY} (a JSON array such as {@code [3,4]}) and whether the indices are canonical
 * (row-major sorted, no duplicates) under {@value #CANONICAL_KEY} ({@code true} or {@code false}).
 *
 * <p>Stateless and thread-safe.
 */
public final class SparseBatchSchema {
    /** Name of the index column. */
    public static final String INDICES = "indices";
    /** Name of the value column. */
    public static final String VALUES = "values";
    /** Schema metadata key of the dense shape. */
    public static final String DENSE_SHAPE_KEY = "tensorbridge.sparse.dense_shape";
    /** Schema metadata key of the canonical flag. */
    public static final String CANONICAL_KEY = "tensorbridge.sparse.canonical";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SparseBatchSchema() {
    }

    /**
     * The schema of a sparse tensor of {@code dtype} values and {@code denseShape}.
     *
     * @throws org.tensorbridge.UnsupportedDTypeException if the values have no Arrow type of the same layout
     */
    public static Schema schema(DType dtype, Shape denseShape, boolean canonical) {
        Field item = new Field("item", new FieldType(false, new ArrowType.Int(64, true), null), null);
        Field indices = new Field(INDICES, new FieldType(false, new ArrowType.FixedSizeList(denseShape.rank()), null),
                List.of(item));
        Field values = new Field(VALUES, new FieldType(false, ElementTypes.arrowType(dtype), null), null);
        String shape = Arrays.toString(denseShape.toArray()).replace(" ", "");
        return new Schema(List.of(indices, values), Map.of(DENSE_SHAPE_KEY, shape, CANONICAL_KEY,
                Boolean.toString(canonical)));
    }

    /**
     * The dense shape in {@code schema}'s metadata.
     *
     * @throws ArrowLayoutException if it is missing or not an array of dimensions
     */
    public static Shape denseShape(Schema schema) {
        String text = metadata(schema, DENSE_SHAPE_KEY, "[3,4]");
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw badShape(text, "it is not JSON", e);
        }
        if (node == null || !node.isArray()) {
            throw badShape(text, "it is not a JSON array", null);
        }
        long[] dims = new long[node.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong()) {
                throw badShape(text, "entry " + i + " is " + d, null);
            }
            dims[i] = d.longValue();
        }
        try {
            return Shape.of(dims);
        } catch (IllegalArgumentException e) {
            throw badShape(text, e.getMessage(), e);
        }
    }

    /**
     * The canonical flag in {@code schema}'s metadata.
     *
     * @throws ArrowLayoutException if it is missing or neither {@code true} nor {@code false}
     */
    public static boolean canonical(Schema schema) {
        String text = metadata(schema, CANONICAL_KEY, "true");
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ArrowLayoutException("schema metadata " + CANONICAL_KEY + " is \"" + text
                    + "\"; it must be true or false");
        };
    }

    private static String metadata(Schema schema, String key, String example) {
        Map<String, String> metadata = schema.getCustomMetadata();
        String value = metadata == null ? null : metadata.get(key);
        if (value == null) {
            throw new ArrowLayoutException("schema metadata has no " + key + "; a sparse record batch carries it, "
                    + "for example " + key + "=" + example + ". Was the batch written by SparseExport?");
        }
        return value;
    }

    private static ArrowLayoutException badShape(String text, String why, Throwable cause) {
        return new ArrowLayoutException("schema metadata " + DENSE_SHAPE_KEY + " is " + text + ": " + why
                + "; it must be a JSON array of dimensions such as [3,4]", cause);
    }
}
