package org.tensorbridge.flight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Schema;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.arrow.FixedShapeTensorMetadata;

/**
 * The descriptions the server writes ({@link FlightTensorInfo}), computed from what it holds, never
 * copied from what a client sent: the schema of the stream with the description's keys added to its
 * metadata. Stateless and thread-safe.
 */
final class Descriptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Descriptions() {
    }

    /**
     * A dense tensor of {@code rows} rows of the column's type: shape {@code [rows] + } the logical row
     * shape; dimension names from the type (logical order) after {@code batchName}.
     */
    static FlightTensorInfo dense(String name, Schema schema, DType dtype, long rows, String batchName) {
        FixedShapeTensorMetadata type = TensorSchemas.denseType(schema).metadata();
        long[] row = type.logicalShape().toArray();
        long[] dims = new long[row.length + 1];
        dims[0] = rows;
        System.arraycopy(row, 0, dims, 1, row.length);
        Shape shape = Shape.of(dims);
        List<String> names = new ArrayList<>();
        names.add(batchName == null ? "" : batchName);
        List<String> stored = type.dimNames().orElse(null);
        int[] permutation = type.permutation().orElse(null);
        for (int i = 0; i < row.length; i++) {
            names.add(stored == null ? "" : stored.get(permutation == null ? i : permutation[i]));
        }
        long bytes = shape.elementCount() * dtype.byteWidth();
        return described(name, schema, TensorKind.DENSE, dtype, shape, names, bytes, rows);
    }

    /** A sparse tensor in interop-arrow's COO layout: {@code nnz} rows, the dense shape from the schema. */
    static FlightTensorInfo sparse(String name, Schema schema, DType dtype, Shape denseShape, long nnz) {
        long bytes = nnz * denseShape.rank() * Long.BYTES + nnz * dtype.byteWidth();
        return described(name, schema, TensorKind.SPARSE, dtype, denseShape, List.of(), bytes, nnz);
    }

    /** A table of {@code rows} rows whose buffers hold {@code bytes}. */
    static FlightTensorInfo table(String name, Schema schema, long rows, long bytes) {
        return described(name, schema, TensorKind.TABLE, null, null, List.of(), bytes, rows);
    }

    /** The first dimension's name in a sender's {@value FlightTensorInfo#DIM_NAMES_KEY}, if it wrote one. */
    static String batchName(Schema schema) {
        Map<String, String> metadata = schema.getCustomMetadata();
        String names = metadata == null ? null : metadata.get(FlightTensorInfo.DIM_NAMES_KEY);
        if (names == null) {
            return "";
        }
        try {
            JsonNode parsed = JSON.readTree(names);
            return parsed != null && parsed.isArray() && parsed.size() > 0 && parsed.get(0).isTextual()
                    ? TensorNames.printable(parsed.get(0).asText()) : "";
        } catch (JsonProcessingException e) {
            return ""; // a sender's malformed names are not worth refusing the tensor for
        }
    }

    /** The row dimension names of {@code dimNames} (all but the first) for the column type, or null. */
    static List<String> rowNames(List<String> dimNames) {
        return dimNames == null || dimNames.size() < 2 ? null : dimNames.subList(1, dimNames.size());
    }

    private static FlightTensorInfo described(String name, Schema schema, TensorKind kind, DType dtype, Shape shape,
            List<String> dimNames, long bytes, long rows) {
        Map<String, String> metadata = new HashMap<>();
        if (schema.getCustomMetadata() != null) {
            // Only what the layout itself needs (the sparse dense shape and canonical flag) is kept of the sender's.
            schema.getCustomMetadata().forEach((key, value) -> {
                if (key.startsWith("tensorbridge.sparse.") && kind == TensorKind.SPARSE) {
                    metadata.put(key, value);
                }
            });
        }
        metadata.putAll(FlightTensorInfo.metadata(kind, dtype, shape, dimNames, bytes));
        Schema described = new Schema(schema.getFields(), metadata);
        List<String> named = dimNames.stream().allMatch(String::isEmpty) ? List.of() : dimNames;
        return new FlightTensorInfo(name, kind, dtype, shape, named, bytes, rows, described);
    }
}
