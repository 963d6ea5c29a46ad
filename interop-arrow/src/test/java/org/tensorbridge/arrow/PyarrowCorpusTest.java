package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;

/**
 * Every file of the pyarrow corpus ({@code src/test/resources/org/tensorbridge/arrow/pyarrow/}, written by
 * {@code src/test/python/pyarrow_corpus.py} with pyarrow 25.0.1: tensor columns beside columns of every
 * kind, uncompressed, lz4_frame and zstd, streams and files) is read through {@link TensorIpc}, and gives
 * what {@code expectations.json} says pyarrow wrote: each batch's row count, each column's null count, the
 * strings of string columns, and each tensor column's logical tensors, value for value. Every value of
 * every column is read too, and the allocator closes clean.
 *
 * <p>{@link PyarrowInteropTest} writes the same corpus again with the pyarrow installed and reads it
 * with {@link #readsAsPyarrowWroteIt}; this test needs no Python.
 */
class PyarrowCorpusTest {
    static final Path CORPUS = Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/resources/org/tensorbridge/arrow/pyarrow").toAbsolutePath();
    private static final Backend CPU = TestMemory.cpu();

    static Stream<Arguments> files() throws IOException {
        JsonNode expectations = expectations(CORPUS);
        List<Arguments> files = new ArrayList<>();
        expectations.get("files").fieldNames().forEachRemaining(name -> files.add(Arguments.of(name)));
        return files.stream();
    }

    static JsonNode expectations(Path folder) throws IOException {
        return new ObjectMapper().readTree(folder.resolve("expectations.json").toFile());
    }

    @Test
    void theCorpusIsPyarrow25AndCoversStreamsFilesAndBothCodecs() throws IOException {
        JsonNode expectations = expectations(CORPUS);
        assertEquals("25.0.1", expectations.get("pyarrow").asText());
        List<String> names = new ArrayList<>();
        expectations.get("files").fieldNames().forEachRemaining(names::add);
        assertTrue(names.size() >= 40, "files: " + names.size());
        for (String part : List.of("_lz4.arrows", "_zstd.arrow", "every_type.arrow", "dictionary_deltas.arrows")) {
            assertTrue(names.stream().anyMatch(n -> n.endsWith(part)), part);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void readsAsPyarrowWroteIt(String name) throws IOException {
        readsAsPyarrowWroteIt(CORPUS, name, expectations(CORPUS).get("files").get(name));
    }

    static void readsAsPyarrowWroteIt(Path folder, String name, JsonNode batches) throws IOException {
        long liveBefore = TestMemory.liveBytes(CPU);
        try (RootAllocator allocator = new RootAllocator()) {
            try (SeekableByteChannel channel = Files.newByteChannel(folder.resolve(name));
                    InputStream stream = Files.newInputStream(folder.resolve(name));
                    ArrowReader reader = name.endsWith(".arrows") ? TensorIpc.openStream(stream, allocator)
                            : TensorIpc.openFile(channel, allocator)) {
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                Iterator<JsonNode> expected = batches.elements();
                while (reader.loadNextBatch()) {
                    assertTrue(expected.hasNext(), name + ": more batches than pyarrow wrote");
                    checkBatch(name, root, expected.next());
                }
                assertFalse(expected.hasNext(), name + ": fewer batches than pyarrow wrote");
            }
            assertEquals(0, allocator.getAllocatedMemory(), allocator::toVerboseString);
        }
        assertEquals(liveBefore, TestMemory.liveBytes(CPU), "backend memory left open");
    }

    private static void checkBatch(String name, VectorSchemaRoot root, JsonNode expected) {
        assertEquals(expected.get("rows").asInt(), root.getRowCount(), name + " rows");
        for (Map.Entry<String, JsonNode> column : expected.get("null_counts").properties()) {
            FieldVector vector = root.getVector(column.getKey());
            assertEquals(column.getValue().asInt(), vector.getNullCount(), name + " nulls of " + column.getKey());
            for (int row = 0; row < vector.getValueCount(); row++) {
                vector.getObject(row); // every value of every column reads
            }
        }
        for (Map.Entry<String, JsonNode> column : expected.get("strings").properties()) {
            FieldVector vector = root.getVector(column.getKey());
            for (int row = 0; row < vector.getValueCount(); row++) {
                JsonNode value = column.getValue().get(row);
                Object read = vector.getObject(row);
                assertEquals(value.isNull() ? null : value.asText(), read == null ? null : ((Text) read).toString(),
                        name + " " + column.getKey() + "[" + row + "]");
            }
        }
        for (Map.Entry<String, JsonNode> column : expected.get("tensors").properties()) {
            FixedShapeTensorVector vector = assertInstanceOf(FixedShapeTensorVector.class,
                    root.getVector(column.getKey()), name + " " + column.getKey());
            checkTensor(name + " " + column.getKey(), vector, column.getValue());
        }
    }

    private static void checkTensor(String name, FixedShapeTensorVector vector, JsonNode expected) {
        FixedShapeTensorMetadata metadata = vector.type().metadata();
        assertEquals(shape(expected.get("physical_shape")), metadata.shape(), name + " stored shape");
        assertEquals(expected.get("dim_names").isNull() ? null : strings(expected.get("dim_names")),
                metadata.dimNames().orElse(null), name + " dim_names");
        if (!expected.has("values")) {
            assertThrows(NullElementsException.class, () -> ArrowImport.toTensor(vector, CPU, CopyPolicy.IF_NEEDED),
                    name + " has a null row");
            return;
        }
        if (metadata.isPermuted()) {
            assertThrows(CopyRequiredException.class, () -> ArrowImport.toTensor(vector, CPU, CopyPolicy.NEVER), name);
        }
        CopyPolicy policy = metadata.isPermuted() ? CopyPolicy.IF_NEEDED : CopyPolicy.NEVER;
        try (Tensor tensor = ArrowImport.toTensor(vector, CPU, policy);
                HostArray host = ArrowImport.toHostArray(vector, CPU, policy, Access.READ_ONLY)) {
            assertEquals(shape(expected.get("shape")), tensor.shape(), name + " logical shape");
            assertEquals(dtype(expected.get("dtype").asText()), tensor.dtype(), name + " dtype");
            double[] values = new double[expected.get("values").size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = expected.get("values").get(i).asDouble();
            }
            assertArrayEquals(values, host.convertToDoubleArray(), name + " values");
            assertEquals(metadata.isPermuted() ? Sharing.INDEPENDENT : Sharing.SHARED, host.sharing(), name);
            if (!metadata.isPermuted() && values.length > 0) {
                // Zero-copy: the tensor is the Arrow buffer (the file's bytes, or the decompressed ones).
                assertEquals(elementAddress(vector), TestMemory.address(tensor), name + " shares the column");
            }
            if (vector.getValueCount() > 0) {
                try (HostArray row = vector.row(0, CPU)) {
                    assertEquals(vector.rowShape(), row.shape(), name + " row shape");
                    double[] first = new double[(int) vector.rowShape().elementCount()];
                    System.arraycopy(values, 0, first, 0, first.length);
                    assertArrayEquals(first, row.convertToDoubleArray(), name + " row 0");
                }
            }
        }
    }

    private static long elementAddress(FixedShapeTensorVector vector) {
        FieldVector elements = vector.getUnderlyingVector().getDataVector();
        return elements instanceof Bool8Vector bools ? bools.getUnderlyingVector().getDataBuffer().memoryAddress()
                : elements.getDataBuffer().memoryAddress();
    }

    private static DType dtype(String pyarrow) {
        return switch (pyarrow) {
            case "float" -> DType.FLOAT32;
            case "double" -> DType.FLOAT64;
            case "halffloat" -> DType.FLOAT16;
            case "extension<arrow.bool8>" -> DType.BOOL;
            default -> DType.valueOf(pyarrow.toUpperCase(java.util.Locale.ROOT));
        };
    }

    private static Shape shape(JsonNode dims) {
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dims.get(i).asLong();
        }
        return Shape.of(out);
    }

    private static List<String> strings(JsonNode names) {
        List<String> out = new ArrayList<>();
        names.forEach(n -> out.add(n.asText()));
        return out;
    }
}
