package org.tensorbridge.arrow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.ArrowType.ExtensionType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;

/**
 * The seed corpus of the IPC fuzz tests ({@link TensorIpcFuzzTest}, {@link SparseIpcFuzzTest}): valid
 * streams and files written by the library's own export and by pyarrow (compressed, with columns of
 * every type), plus truncated and bit-flipped variants. The
 * bytes are committed under {@code src/test/resources/org/tensorbridge/arrow/<Test>Inputs/<method>/};
 * to write them again after a format change:
 * {@code ./mvnw -o -pl interop-arrow test -Dtest=IpcSeeds -Dipc.seeds.write=true}.
 */
class IpcSeeds {
    private static final Path RESOURCES = Path.of("src/test/resources/org/tensorbridge/arrow");
    private static final Backend CPU = TestMemory.cpu();

    @Test
    @EnabledIfSystemProperty(named = "ipc.seeds.write", matches = "true")
    void writeSeeds() throws IOException {
        write("TensorIpcFuzzTestInputs/streamImportsOrIsRefused", withVariants(denseStreams()));
        write("TensorIpcFuzzTestInputs/fileImportsOrIsRefused", withVariants(denseFiles()));
        write("SparseIpcFuzzTestInputs/sparseStreamImportsOrIsRefused", withVariants(sparseStreams()));
    }

    static Map<String, byte[]> denseStreams() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("float32_4x2x3_named", stream("float32"));
        seeds.put("int64_3x2", stream("int64"));
        seeds.put("uint8_0rows", stream("uint8_empty"));
        seeds.put("int32_permutation_nulls", stream("int32_permuted_null"));
        seeds.put("bad_list_size", stream("bad_list_size"));
        seeds.put("pyarrow_ids_and_embeddings_lz4", pyarrow("ids_and_embeddings_lz4.arrows"));
        seeds.put("pyarrow_every_type_zstd", pyarrow("every_type_zstd.arrows"));
        seeds.put("pyarrow_permuted", pyarrow("permuted.arrows"));
        return seeds;
    }

    static Map<String, byte[]> denseFiles() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("float32_4x2x3_named", file("float32"));
        seeds.put("float16_3x2", file("float16"));
        seeds.put("uint8_0rows", file("uint8_empty"));
        seeds.put("pyarrow_every_type_lz4", pyarrow("every_type_lz4.arrow"));
        seeds.put("pyarrow_ids_and_embeddings_zstd", pyarrow("ids_and_embeddings_zstd.arrow"));
        return seeds;
    }

    static Map<String, byte[]> sparseStreams() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        try (BufferAllocator allocator = new RootAllocator()) {
            seeds.put("coo_float32_3x4", sparse(allocator, CPU.sparseCoo(new long[][] {{0, 1}, {1, 0}, {2, 3}},
                    new float[] {1.5f, -2f, 4f}, 3, 4)));
            seeds.put("coo_int64_rank3", sparse(allocator, CPU.sparseCoo(new long[][] {{0, 1, 1}, {1, 0, 2}},
                    new long[] {7, 9}, 2, 2, 3)));
            seeds.put("coo_empty", sparse(allocator, CPU.sparseCoo(new long[0][2], new double[0], 5, 5)));
        }
        return seeds;
    }

    /** A file of the pyarrow corpus ({@link PyarrowCorpusTest}): compressed bodies and every column type. */
    private static byte[] pyarrow(String name) {
        try {
            return Files.readAllBytes(PyarrowCorpusTest.CORPUS.resolve(name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] sparse(BufferAllocator allocator, SparseTensor tensor) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (tensor; VectorSchemaRoot batch = SparseExport.toRecordBatch(tensor, allocator)) {
            TensorIpc.writeStream(batch, out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static byte[] stream(String kind) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        withRoot(kind, root -> {
            try {
                TensorIpc.writeStream(root, out);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        return out.toByteArray();
    }

    private static byte[] file(String kind) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        withRoot(kind, root -> {
            try {
                TensorIpc.writeFile(root, Channels.newChannel(out));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        return out.toByteArray();
    }

    /** A root of one column of {@code kind}, exported by the library where it can be. */
    private static void withRoot(String kind, Consumer<VectorSchemaRoot> use) {
        try (BufferAllocator allocator = new RootAllocator()) {
            switch (kind) {
                case "float32", "int64", "float16", "uint8_empty" -> {
                    DType dtype = switch (kind) {
                        case "float32" -> DType.FLOAT32;
                        case "int64" -> DType.INT64;
                        case "float16" -> DType.FLOAT16;
                        default -> DType.UINT8;
                    };
                    Shape shape = switch (kind) {
                        case "float32" -> Shape.of(4, 2, 3);
                        case "uint8_empty" -> Shape.of(0, 5);
                        default -> Shape.of(3, 2);
                    };
                    ExportOptions options = kind.equals("float32")
                            ? ExportOptions.defaults().withDimNames(List.of("H", "W")) : ExportOptions.defaults();
                    byte[] pattern = new byte[(int) (shape.elementCount() * dtype.byteWidth())];
                    for (int i = 0; i < pattern.length; i++) {
                        pattern[i] = (byte) (i * 37 + 11);
                    }
                    ByteBuffer source = ByteBuffer.allocateDirect(Math.max(1, pattern.length))
                            .order(ByteOrder.nativeOrder()).put(pattern).flip();
                    try (Tensor tensor = CPU.fromBuffer(source, dtype, shape, CopyPolicy.ALWAYS);
                            ExportedTensor export = ArrowExport.export(tensor, "t", allocator, options);
                            VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(export.vector()))) {
                        use.accept(root);
                    }
                }
                case "int32_permuted_null" -> {
                    FixedShapeTensorType type = FixedShapeTensorType.of(FixedShapeTensorMetadata.of(Shape.of(2, 3, 1))
                            .withDimNames(List.of("C", "H", "W")).withPermutation(2, 0, 1));
                    try (FixedShapeTensorVector vector = (FixedShapeTensorVector) type.field("t",
                            new ArrowType.Int(32, true), true).createVector(allocator);
                            VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(vector))) {
                        vector.allocateNew();
                        IntVector elements = (IntVector) vector.elements();
                        for (int i = 0; i < 12; i++) {
                            elements.setSafe(i, i);
                        }
                        elements.setValueCount(12);
                        vector.getUnderlyingVector().setNotNull(0);
                        vector.getUnderlyingVector().setNull(1);
                        root.setRowCount(2);
                        use.accept(root);
                    }
                }
                case "bad_list_size" -> {
                    Map<String, String> metadata = Map.of(ExtensionType.EXTENSION_METADATA_KEY_NAME,
                            FixedShapeTensorType.EXTENSION_NAME, ExtensionType.EXTENSION_METADATA_KEY_METADATA,
                            "{\"shape\":[2,3]}");
                    Field item = new Field("item", FieldType.notNullable(new ArrowType.Int(32, true)), null);
                    Field bad = new Field("t", new FieldType(false, new ArrowType.FixedSizeList(5), null, metadata),
                            List.of(item));
                    try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(bad)), allocator)) {
                        root.setRowCount(0);
                        use.accept(root);
                    }
                }
                default -> throw new IllegalArgumentException(kind);
            }
        }
    }

    /** Each seed, cut in half, cut before its last 8 bytes, and with one byte flipped in each quarter. */
    static Map<String, byte[]> withVariants(Map<String, byte[]> seeds) {
        Map<String, byte[]> all = new LinkedHashMap<>(seeds);
        seeds.forEach((name, bytes) -> {
            all.put(name + "_cut_half", Arrays.copyOf(bytes, bytes.length / 2));
            all.put(name + "_cut_end", Arrays.copyOf(bytes, Math.max(0, bytes.length - 8)));
            for (int quarter = 1; quarter <= 3; quarter++) {
                byte[] flipped = bytes.clone();
                flipped[bytes.length * quarter / 4] ^= (byte) 0x40;
                all.put(name + "_flip_q" + quarter, flipped);
            }
        });
        return all;
    }

    private static void write(String folder, Map<String, byte[]> seeds) throws IOException {
        Path dir = RESOURCES.resolve(folder);
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            Files.write(dir.resolve(seed.getKey()), seed.getValue());
        }
    }
}
