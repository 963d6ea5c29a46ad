package org.tensorbridge.arrow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.tensorbridge.Shape;
import org.tensorbridge.arrow.InvalidTensorMetadataException.Rule;

/**
 * The parameters of an {@code arrow.fixed_shape_tensor}, as the Arrow canonical extension
 * specification defines them: the physical {@link #shape()} of every tensor in the column
 * (row-major), and the optional {@link #dimNames()} and {@link #permutation()} that describe a logical
 * layout. Serialised as the JSON object {@code {"shape":[..],"dim_names":[..],"permutation":[..]}}, the
 * optional members written only when present.
 *
 * <p>Every factory validates, so an instance always satisfies the specification; invalid input is
 * rejected with {@link InvalidTensorMetadataException} naming the rule. Immutable and thread-safe.
 */
public final class FixedShapeTensorMetadata {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Shape shape;
    private final List<String> dimNames;
    private final int[] permutation;

    private FixedShapeTensorMetadata(Shape shape, List<String> dimNames, int[] permutation) {
        this.shape = shape;
        this.dimNames = dimNames;
        this.permutation = permutation;
    }

    /**
     * Metadata with only a shape.
     *
     * @throws InvalidTensorMetadataException if the shape's element count does not fit an {@code int}
     */
    public static FixedShapeTensorMetadata of(Shape shape) {
        Objects.requireNonNull(shape, "shape must not be null; use Shape.scalar() for tensors of one element");
        listSizeOf(shape);
        return new FixedShapeTensorMetadata(shape, null, null);
    }

    /**
     * This metadata with names for the physical dimensions.
     *
     * @throws InvalidTensorMetadataException if there is not one name per dimension
     */
    public FixedShapeTensorMetadata withDimNames(List<String> names) {
        Objects.requireNonNull(names, "names must not be null");
        List<String> copy = List.copyOf(names);
        requireDimNamesLength(copy.size());
        return new FixedShapeTensorMetadata(shape, copy, permutation);
    }

    /**
     * This metadata with a permutation: logical dimension {@code i} is physical dimension
     * {@code permutation[i]}.
     *
     * @throws InvalidTensorMetadataException if it is not a permutation of {@code [0, .., rank-1]}
     */
    public FixedShapeTensorMetadata withPermutation(int... permutation) {
        Objects.requireNonNull(permutation, "permutation must not be null");
        requirePermutation(permutation.clone());
        return new FixedShapeTensorMetadata(shape, dimNames, permutation.clone());
    }

    /**
     * Parses and validates the JSON of an extension field's {@code ARROW:extension:metadata}.
     *
     * @throws InvalidTensorMetadataException naming the first rule the JSON breaks
     */
    public static FixedShapeTensorMetadata parse(String json) {
        JsonNode root = readObject(json);
        JsonNode shapeNode = root.get("shape");
        if (shapeNode == null || shapeNode.isNull()) {
            throw new InvalidTensorMetadataException(Rule.MISSING_SHAPE, "the metadata " + json
                    + " has no \"shape\"; the specification requires it, for example {\"shape\":[2,3]}");
        }
        long[] dims = integers(shapeNode, "shape", Rule.SHAPE_NOT_INTEGERS);
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new InvalidTensorMetadataException(Rule.NEGATIVE_DIMENSION, "shape[" + i + "] is " + dims[i]
                        + " in " + Arrays.toString(dims) + "; dimensions must be 0 or more");
            }
        }
        Shape shape;
        try {
            shape = Shape.of(dims);
        } catch (IllegalArgumentException e) {
            throw new InvalidTensorMetadataException(Rule.SHAPE_TOO_LARGE, "shape " + Arrays.toString(dims)
                    + " has more than Long.MAX_VALUE elements; use smaller dimensions", e);
        }
        FixedShapeTensorMetadata metadata = of(shape);
        JsonNode namesNode = root.get("dim_names");
        if (namesNode != null && !namesNode.isNull()) {
            metadata = metadata.withDimNames(strings(namesNode));
        }
        JsonNode permutationNode = root.get("permutation");
        if (permutationNode != null && !permutationNode.isNull()) {
            long[] values = integers(permutationNode, "permutation", Rule.NOT_A_PERMUTATION);
            int[] narrowed = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                if (values[i] < 0 || values[i] >= values.length) {
                    throw notAPermutation(values, "entry " + i + " is " + values[i]);
                }
                narrowed[i] = (int) values[i];
            }
            metadata = metadata.withPermutation(narrowed);
        }
        return metadata;
    }

    /** The JSON object the specification defines; optional members only when present. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode dims = root.putArray("shape");
        for (long d : shape.toArray()) {
            dims.add(d);
        }
        if (dimNames != null) {
            ArrayNode names = root.putArray("dim_names");
            dimNames.forEach(names::add);
        }
        if (permutation != null) {
            ArrayNode order = root.putArray("permutation");
            for (int p : permutation) {
                order.add(p);
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Jackson could not write a tree it built: " + root, e);
        }
    }

    /** The physical shape of each tensor (row-major). */
    public Shape shape() {
        return shape;
    }

    /** Names of the physical dimensions, if given. */
    public Optional<List<String>> dimNames() {
        return Optional.ofNullable(dimNames);
    }

    /** The permutation from logical to physical dimensions, if given (a copy). */
    public Optional<int[]> permutation() {
        return Optional.ofNullable(permutation).map(int[]::clone);
    }

    /**
     * The logical shape: physical dimension {@code permutation[i]} at position {@code i}; the physical
     * shape when there is no permutation.
     */
    public Shape logicalShape() {
        if (permutation == null) {
            return shape;
        }
        long[] logical = new long[permutation.length];
        for (int i = 0; i < permutation.length; i++) {
            logical[i] = shape.dim(permutation[i]);
        }
        return Shape.of(logical);
    }

    /** True when there is a permutation and it is not the identity: the logical tensor is a transpose. */
    public boolean isPermuted() {
        if (permutation == null) {
            return false;
        }
        for (int i = 0; i < permutation.length; i++) {
            if (permutation[i] != i) {
                return true;
            }
        }
        return false;
    }

    /** The storage list size: the number of elements of one tensor. */
    public int listSize() {
        return (int) shape.elementCount();
    }

    private static int listSizeOf(Shape shape) {
        if (shape.elementCount() > Integer.MAX_VALUE) {
            throw new InvalidTensorMetadataException(Rule.SHAPE_TOO_LARGE, "shape " + shape + " has "
                    + shape.elementCount() + " elements, but a FixedSizeList holds at most " + Integer.MAX_VALUE
                    + " per row; split each tensor into smaller ones");
        }
        return (int) shape.elementCount();
    }

    private void requireDimNamesLength(int length) {
        if (length != shape.rank()) {
            throw new InvalidTensorMetadataException(Rule.DIM_NAMES_WRONG_LENGTH, "dim_names has " + length
                    + " names but shape " + shape + " has " + shape.rank() + " dimensions; give one name per dimension");
        }
    }

    private void requirePermutation(int[] values) {
        long[] wide = Arrays.stream(values).asLongStream().toArray();
        if (values.length != shape.rank()) {
            throw notAPermutation(wide, "it has " + values.length + " entries but shape " + shape + " has "
                    + shape.rank() + " dimensions");
        }
        boolean[] seen = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            if (v < 0 || v >= values.length) {
                throw notAPermutation(wide, "entry " + i + " is " + v);
            }
            if (seen[v]) {
                throw notAPermutation(wide, v + " appears twice");
            }
            seen[v] = true;
        }
    }

    private static InvalidTensorMetadataException notAPermutation(long[] values, String why) {
        return new InvalidTensorMetadataException(Rule.NOT_A_PERMUTATION, "permutation " + Arrays.toString(values)
                + " is not a permutation of [0, .., " + (values.length - 1) + "]: " + why
                + "; each dimension index must appear exactly once");
    }

    private static JsonNode readObject(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidTensorMetadataException(Rule.MISSING_SHAPE, "the metadata is empty; the specification "
                    + "requires a JSON object with \"shape\", for example {\"shape\":[2,3]}");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidTensorMetadataException(Rule.NOT_A_JSON_OBJECT, "the metadata " + json
                    + " is not valid JSON (" + e.getOriginalMessage() + "); write a JSON object such as "
                    + "{\"shape\":[2,3]}", e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidTensorMetadataException(Rule.NOT_A_JSON_OBJECT, "the metadata " + json
                    + " is not a JSON object; write one such as {\"shape\":[2,3]}");
        }
        return root;
    }

    private static long[] integers(JsonNode node, String member, Rule rule) {
        if (!node.isArray()) {
            throw new InvalidTensorMetadataException(rule, "\"" + member + "\" is " + node
                    + "; it must be an array of integers such as [2, 3]");
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode item = node.get(i);
            if (!item.isIntegralNumber() || !item.canConvertToLong()) {
                throw new InvalidTensorMetadataException(rule, "\"" + member + "\"[" + i + "] is " + item + " in "
                        + node + "; every entry must be an integer");
            }
            out[i] = item.longValue();
        }
        return out;
    }

    private static List<String> strings(JsonNode node) {
        if (!node.isArray()) {
            throw new InvalidTensorMetadataException(Rule.DIM_NAMES_NOT_STRINGS, "\"dim_names\" is " + node
                    + "; it must be an array of strings such as [\"H\", \"W\"]");
        }
        List<String> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw new InvalidTensorMetadataException(Rule.DIM_NAMES_NOT_STRINGS, "\"dim_names\"[" + i + "] is "
                        + item + " in " + node + "; every name must be a string");
            }
            out.add(item.textValue());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FixedShapeTensorMetadata m && shape.equals(m.shape) && Objects.equals(dimNames, m.dimNames)
                && Arrays.equals(permutation, m.permutation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shape, dimNames, Arrays.hashCode(permutation));
    }

    /** The JSON form. */
    @Override
    public String toString() {
        return toJson();
    }
}
