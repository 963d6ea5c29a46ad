package org.tensorbridge.flight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.vector.types.pojo.Schema;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.arrow.ArrowLayoutException;
import org.tensorbridge.arrow.SparseBatchSchema;

/**
 * What a name published on a tensor Flight server holds: its {@link TensorKind}, dtype, shape, dimension
 * names, byte size and rows, as {@code ListFlights} and {@code GetFlightInfo} describe it.
 *
 * <h2>Where the description is on the wire</h2>
 * In the <em>schema metadata</em> of the {@code FlightInfo} (and of the {@code DoGet} stream, which has the
 * same schema), under these keys, every value a string:
 * <ul>
 *   <li>{@value #KIND_KEY}: {@code dense}, {@code sparse} or {@code table};</li>
 *   <li>{@value #DTYPE_KEY}: the element dtype ({@code float32}, ...; dense and sparse only);</li>
 *   <li>{@value #SHAPE_KEY}: the shape as a JSON array, {@code [64,28,28]} (the dense shape of a sparse
 *       tensor; absent for a table);</li>
 *   <li>{@value #DIM_NAMES_KEY}: a JSON array of one name per dimension ({@code ""} for an unnamed one),
 *       present only when some dimension is named;</li>
 *   <li>{@value #BYTES_KEY}: the bytes of the data (elements × width; for a sparse tensor its indices and
 *       values; for a table the bytes of its buffers).</li>
 * </ul>
 * The {@code FlightInfo}'s own {@code total_records} is the number of rows (the first dimension, the stored
 * elements of a sparse tensor) and {@code total_bytes} the byte size above. pyarrow reads them as
 * {@code info.schema.metadata[b"tensorbridge.shape"]}, {@code info.total_bytes}. A {@code FlightInfo} from a
 * server that writes no such metadata (a plain pyarrow server) is described from its columns: one
 * {@code arrow.fixed_shape_tensor} column is a dense tensor of shape {@code [total_records] + } its row
 * shape, with the dtype unknown until the data arrives.
 *
 * <p>Immutable and thread-safe.
 */
public final class FlightTensorInfo {
    /** Schema metadata key of the {@link TensorKind}. */
    public static final String KIND_KEY = "tensorbridge.kind";
    /** Schema metadata key of the dtype. */
    public static final String DTYPE_KEY = "tensorbridge.dtype";
    /** Schema metadata key of the shape (a JSON array). */
    public static final String SHAPE_KEY = "tensorbridge.shape";
    /** Schema metadata key of the dimension names (a JSON array). */
    public static final String DIM_NAMES_KEY = "tensorbridge.dim_names";
    /** Schema metadata key of the byte size. */
    public static final String BYTES_KEY = "tensorbridge.bytes";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final TensorKind kind;
    private final DType dtype;
    private final Shape shape;
    private final List<String> dimNames;
    private final long bytes;
    private final long rows;
    private final Schema schema;

    FlightTensorInfo(String name, TensorKind kind, DType dtype, Shape shape, List<String> dimNames, long bytes,
            long rows, Schema schema) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.dtype = dtype;
        this.shape = shape;
        this.dimNames = List.copyOf(dimNames);
        this.bytes = bytes;
        this.rows = rows;
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    /**
     * The description of {@code info}: its first path element is the name, its schema metadata the rest
     * (see the class comment); a schema without it is described from its columns.
     *
     * @throws ArrowLayoutException if the schema metadata has a key of this class whose value is not what
     *     the class comment says
     */
    public static FlightTensorInfo of(FlightInfo info) {
        Objects.requireNonNull(info, "info must not be null");
        if (!info.getDescriptor().isCommand() && !info.getDescriptor().getPath().isEmpty()) {
            return of(String.join("/", info.getDescriptor().getPath()), info.getSchema(), info.getRecords(),
                    info.getBytes());
        }
        String command = info.getDescriptor().isCommand()
                ? new String(info.getDescriptor().getCommand(), StandardCharsets.UTF_8) : "";
        return of(command, info.getSchema(), info.getRecords(), info.getBytes());
    }

    /** The description of a stream of {@code schema} published as {@code name}. */
    static FlightTensorInfo of(String name, Schema schema, long rows, long bytes) {
        Map<String, String> metadata = schema.getCustomMetadata() == null ? Map.of() : schema.getCustomMetadata();
        TensorKind kind = TensorKind.fromMetadata(metadata.get(KIND_KEY));
        if (kind == null) {
            return described(name, schema, rows, bytes);
        }
        String dtypeName = metadata.get(DTYPE_KEY);
        DType dtype = dtypeName == null ? null : dtype(dtypeName);
        String shapeText = metadata.get(SHAPE_KEY);
        Shape shape = shapeText == null ? null : shape(shapeText);
        String namesText = metadata.get(DIM_NAMES_KEY);
        List<String> names = namesText == null ? List.of() : strings(DIM_NAMES_KEY, namesText);
        String bytesText = metadata.get(BYTES_KEY);
        long size = bytesText == null ? bytes : number(BYTES_KEY, bytesText);
        return new FlightTensorInfo(name, kind, dtype, shape, names, size, rows, schema);
    }

    /** A description from the columns alone, for streams of servers that do not write the metadata. */
    private static FlightTensorInfo described(String name, Schema schema, long rows, long bytes) {
        TensorKind kind = TensorSchemas.classify(schema);
        Shape shape = null;
        if (kind == TensorKind.DENSE && rows >= 0) {
            long[] row = TensorSchemas.denseType(schema).metadata().logicalShape().toArray();
            long[] dims = new long[row.length + 1];
            dims[0] = rows;
            System.arraycopy(row, 0, dims, 1, row.length);
            shape = Shape.of(dims);
        } else if (kind == TensorKind.SPARSE) {
            shape = SparseBatchSchema.denseShape(schema);
        }
        return new FlightTensorInfo(name, kind, null, shape, List.of(), bytes, rows, schema);
    }

    /** The published name. */
    public String name() {
        return name;
    }

    /** Dense tensor, sparse tensor or table. */
    public TensorKind kind() {
        return kind;
    }

    /** The element dtype of a dense or sparse tensor; empty for a table, or when the server did not say. */
    public Optional<DType> dtype() {
        return Optional.ofNullable(dtype);
    }

    /** The shape of a dense tensor, the dense shape of a sparse one; empty for a table. */
    public Optional<Shape> shape() {
        return Optional.ofNullable(shape);
    }

    /** One name per dimension ({@code ""} for an unnamed one), or an empty list when none is named. */
    public List<String> dimNames() {
        return dimNames;
    }

    /** The byte size of the data, or {@code -1} when the server did not say. */
    public long bytes() {
        return bytes;
    }

    /** The rows the stream has (the first dimension; a sparse tensor's stored elements), or {@code -1}. */
    public long rows() {
        return rows;
    }

    /** The schema of the stream, metadata included. */
    public Schema schema() {
        return schema;
    }

    /**
     * The schema metadata that describes a tensor or table, for the server to write; {@code dtype} and
     * {@code shape} may be null.
     */
    static Map<String, String> metadata(TensorKind kind, DType dtype, Shape shape, List<String> dimNames,
            long bytes) {
        Map<String, String> metadata = new java.util.LinkedHashMap<>();
        metadata.put(KIND_KEY, kind.metadataValue());
        if (dtype != null) {
            metadata.put(DTYPE_KEY, dtype.displayName());
        }
        if (shape != null) {
            metadata.put(SHAPE_KEY, json(shape.toArray()));
        }
        if (!dimNames.isEmpty() && dimNames.stream().anyMatch(n -> !n.isEmpty())) {
            metadata.put(DIM_NAMES_KEY, json(dimNames));
        }
        metadata.put(BYTES_KEY, Long.toString(bytes));
        return Collections.unmodifiableMap(metadata);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a shape or a list of names cannot fail to serialize", e);
        }
    }

    static DType dtype(String displayName) {
        for (DType dtype : DType.values()) {
            if (dtype.displayName().equals(displayName)) {
                return dtype;
            }
        }
        throw new ArrowLayoutException("schema metadata " + DTYPE_KEY + " is \"" + displayName + "\", which is "
                + "no tensorbridge dtype; the server and this client disagree on the protocol");
    }

    private static Shape shape(String text) {
        try {
            return Shape.of(longs(SHAPE_KEY, text));
        } catch (ArrowLayoutException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw badMetadata(SHAPE_KEY, text, e);
        }
    }

    private static long number(String key, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ArrowLayoutException("schema metadata " + key + " is " + text + ", not a number of bytes; the "
                    + "server and this client disagree on the protocol", e);
        }
    }

    private static long[] longs(String key, String text) {
        JsonNode node = parse(key, text);
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            if (!node.get(i).canConvertToLong() || !node.get(i).isIntegralNumber()) {
                throw badMetadata(key, text, null);
            }
            values[i] = node.get(i).longValue();
        }
        return values;
    }

    private static List<String> strings(String key, String text) {
        JsonNode node = parse(key, text);
        List<String> values = new ArrayList<>(node.size());
        node.forEach(n -> values.add(n.asText()));
        return values;
    }

    private static JsonNode parse(String key, String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isArray()) {
                throw badMetadata(key, text, null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw badMetadata(key, text, e);
        }
    }

    private static ArrowLayoutException badMetadata(String key, String text, Throwable cause) {
        return new ArrowLayoutException("schema metadata " + key + " is " + text + ", not a JSON array of what the "
                + "key holds; the server and this client disagree on the protocol", cause);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(name).append(": ").append(kind.metadataValue());
        if (dtype != null) {
            text.append(' ').append(dtype.displayName());
        }
        if (shape != null) {
            text.append(shape);
        }
        if (!dimNames.isEmpty()) {
            text.append(" dims ").append(dimNames);
        }
        return text.append(", ").append(bytes).append(" bytes, ").append(rows).append(" rows").toString();
    }
}
