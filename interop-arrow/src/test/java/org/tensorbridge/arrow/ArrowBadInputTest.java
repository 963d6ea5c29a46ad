package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseIndexException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;

/**
 * Invalid input to every public entry point of the module — {@link ArrowExport}, {@link ArrowImport},
 * {@link TensorIpc}, {@link SparseImport}, {@link FixedShapeTensorType} and
 * {@link FixedShapeTensorVector} — is refused with exactly the documented exception type, whose message
 * names the offending argument or value, and leaves nothing open: the case's allocator holds 0 bytes
 * (and closes without a leak) and the CPU backend's ledger is back where it was.
 */
class ArrowBadInputTest {
    private static final Backend CPU = TestMemory.cpu();

    /** A call that must be refused, with what it needs; what it opens is closed after it. */
    @FunctionalInterface
    interface Call {
        Object run(Fixtures fixtures) throws Exception;
    }

    record BadInput(Class<? extends Throwable> type, String named, Call call) {
    }

    /** The allocator of one case and the resources its call was given, closed in reverse order. */
    static final class Fixtures {
        final RootAllocator allocator = new RootAllocator();
        private final Deque<AutoCloseable> open = new ArrayDeque<>();

        <T extends AutoCloseable> T keep(T resource) {
            open.push(resource);
            return resource;
        }

        Tensor matrix() {
            return keep(CPU.constant(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        }

        /** A column of 2 rows of float32[3], exported from {@link #matrix()}. */
        FixedShapeTensorVector column() {
            return keep(ArrowExport.export(matrix(), "t", allocator)).vector();
        }

        /** A column of 2 rows of int32[2], the second row null. */
        FixedShapeTensorVector columnWithANullRow() {
            FixedShapeTensorVector vector = keep((FixedShapeTensorVector) FixedShapeTensorType.of(Shape.of(2))
                    .field("n", new ArrowType.Int(32, true), true).createVector(allocator));
            vector.allocateNew();
            org.apache.arrow.vector.IntVector elements = (org.apache.arrow.vector.IntVector) vector.elements();
            for (int i = 0; i < 4; i++) {
                elements.setSafe(i, i);
            }
            elements.setValueCount(4);
            vector.getUnderlyingVector().setNotNull(0);
            vector.getUnderlyingVector().setNull(1);
            vector.setValueCount(2);
            return vector;
        }

        /** The COO batch of a 3x4 float32 sparse tensor with the indices {@code indices}. */
        VectorSchemaRoot sparseBatch(long[][] indices) {
            try (SparseTensor tensor = CPU.sparseCoo(indices, new float[] {1.5f, -2f, 4f}, 3, 4)) {
                return keep(SparseExport.toRecordBatch(tensor, allocator));
            }
        }

        VectorSchemaRoot sparseBatch() {
            return sparseBatch(new long[][] {{0, 1}, {1, 0}, {2, 3}});
        }

        /** {@link #sparseBatch()} with its schema metadata changed: a null value removes the key. */
        VectorSchemaRoot sparseBatchWith(String key, String value) {
            VectorSchemaRoot batch = sparseBatch();
            Map<String, String> metadata = new HashMap<>(batch.getSchema().getCustomMetadata());
            if (value == null) {
                metadata.remove(key);
            } else {
                metadata.put(key, value);
            }
            return relabelled(batch, metadata);
        }

        void closeAll() throws Exception {
            while (!open.isEmpty()) {
                open.pop().close();
            }
        }
    }

    /** The same vectors under a schema with other metadata; the original batch still owns them. */
    private static VectorSchemaRoot relabelled(VectorSchemaRoot batch, Map<String, String> metadata) {
        return new VectorSchemaRoot(new Schema(batch.getSchema().getFields(), metadata), batch.getFieldVectors(),
                batch.getRowCount());
    }

    private static byte[] validStream() {
        return IpcSeeds.denseStreams().get("int64_3x2");
    }

    private static byte[] validFile() {
        return IpcSeeds.denseFiles().get("float16_3x2");
    }

    /** Opens a stream of {@code bytes} and reads every batch of it. */
    private static Object readStream(Fixtures f, byte[] bytes) throws IOException {
        try (ArrowReader reader = TensorIpc.openStream(new ByteArrayInputStream(bytes), f.allocator)) {
            reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                // every batch, checked
            }
        }
        return null;
    }

    /** Opens a file of {@code bytes} and reads every batch of it. */
    private static Object readFile(Fixtures f, byte[] bytes) throws IOException {
        try (ArrowReader reader = TensorIpc.openFile(new ByteArrayReadableSeekableByteChannel(bytes), f.allocator)) {
            reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                // every batch, checked
            }
        }
        return null;
    }

    private static byte[] withInt(byte[] bytes, int at, int value) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < 4; i++) {
            copy[at + i] = (byte) (value >>> (8 * i));
        }
        return copy;
    }

    private static Arguments bad(String name, Class<? extends Throwable> type, String named, Call call) {
        return Arguments.of(Named.of(name, new BadInput(type, named, call)));
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                // ArrowExport
                bad("ArrowExport.export: tensor null", NullPointerException.class, "tensor",
                        f -> ArrowExport.export((Tensor) null, "t", f.allocator)),
                bad("ArrowExport.export: name null", NullPointerException.class, "name",
                        f -> ArrowExport.export(f.matrix(), null, f.allocator)),
                bad("ArrowExport.export: allocator null", NullPointerException.class, "allocator",
                        f -> ArrowExport.export(f.matrix(), "t", null)),
                bad("ArrowExport.export: options null", NullPointerException.class, "options",
                        f -> ArrowExport.export(f.matrix(), "t", f.allocator, null)),
                bad("ArrowExport.export: a scalar", ShapeMismatchException.class, "scalar",
                        f -> ArrowExport.export(f.keep(CPU.scalar(DType.FLOAT32, 1)), "t", f.allocator)),
                bad("ArrowExport.export: a bfloat16 tensor", UnsupportedDTypeException.class, "bfloat16",
                        f -> ArrowExport.export(f.keep(CPU.zeros(DType.BFLOAT16, Shape.of(2))), "t", f.allocator)),
                bad("ArrowExport.export: a permutation of the wrong length", InvalidTensorMetadataException.class,
                        "permutation", f -> ArrowExport.export(f.matrix(), "t", f.allocator,
                                ExportOptions.defaults().withPermutation(1, 0))),
                bad("ArrowExport.export: two dim names for a rank-1 row", InvalidTensorMetadataException.class,
                        "dim_names", f -> ArrowExport.export(f.matrix(), "t", f.allocator,
                                ExportOptions.defaults().withDimNames(List.of("H", "W")))),
                bad("ArrowExport.export: host array null", NullPointerException.class, "array",
                        f -> ArrowExport.export((org.tensorbridge.HostArray) null, "t", f.allocator)),
                // ArrowImport
                bad("ArrowImport.toTensor: vector null", NullPointerException.class, "vector",
                        f -> ArrowImport.toTensor((FixedShapeTensorVector) null, CPU, CopyPolicy.NEVER)),
                bad("ArrowImport.toTensor: backend null", NullPointerException.class, "backend",
                        f -> ArrowImport.toTensor(f.column(), null, CopyPolicy.NEVER)),
                bad("ArrowImport.toTensor: policy null", NullPointerException.class, "policy",
                        f -> ArrowImport.toTensor(f.column(), CPU, null)),
                bad("ArrowImport.toTensor: a row shape that is not the list size", ShapeMismatchException.class,
                        "row shape [4]", f -> ArrowImport.toTensor(f.column().getUnderlyingVector(), Shape.of(4), CPU,
                                CopyPolicy.NEVER)),
                bad("ArrowImport.toTensor: row shape null", NullPointerException.class, "rowShape",
                        f -> ArrowImport.toTensor(f.column().getUnderlyingVector(), null, CPU, CopyPolicy.NEVER)),
                bad("ArrowImport.toTensor: a utf8 column", ArrowLayoutException.class, "column s",
                        f -> ArrowImport.toTensor(f.keep(new VarCharVector("s", f.allocator)), CPU,
                                CopyPolicy.NEVER)),
                bad("ArrowImport.toTensor: a FixedSizeList given as a plain column", ArrowLayoutException.class,
                        "column t is a FixedSizeList", f -> ArrowImport.toTensor(
                                (FieldVector) f.column().getUnderlyingVector(), CPU, CopyPolicy.NEVER)),
                bad("ArrowImport.toTensor: a null row", NullElementsException.class, "column n",
                        f -> ArrowImport.toTensor(f.columnWithANullRow(), CPU, CopyPolicy.NEVER)),
                bad("ArrowImport.toHostArray: access null", NullPointerException.class, "access",
                        f -> ArrowImport.toHostArray(f.column(), CPU, CopyPolicy.NEVER, null)),
                // FixedShapeTensorType and FixedShapeTensorVector
                bad("FixedShapeTensorType.deserialize: Int storage", InvalidTensorMetadataException.class,
                        "storage type is Int", f -> FixedShapeTensorType.of(Shape.of(2))
                                .deserialize(new ArrowType.Int(32, true), "{\"shape\":[2]}")),
                bad("FixedShapeTensorType.deserialize: list size 5 for shape [2, 3]",
                        InvalidTensorMetadataException.class, "list size is 5", f -> FixedShapeTensorType.of(
                                Shape.of(2)).deserialize(new ArrowType.FixedSizeList(5), "{\"shape\":[2,3]}")),
                bad("FixedShapeTensorType.deserialize: metadata that is not JSON", InvalidTensorMetadataException.class,
                        "NOT_A_JSON_OBJECT", f -> FixedShapeTensorType.of(Shape.of(2))
                                .deserialize(new ArrowType.FixedSizeList(2), "{\"shape\":")),
                bad("FixedShapeTensorType.deserialize: a permutation that repeats", InvalidTensorMetadataException.class,
                        "permutation", f -> FixedShapeTensorType.of(Shape.of(2)).deserialize(
                                new ArrowType.FixedSizeList(6), "{\"shape\":[2,3],\"permutation\":[0,0]}")),
                bad("new FixedShapeTensorVector: an Int field type", ArrowLayoutException.class, "fieldType",
                        f -> new FixedShapeTensorVector("t", FieldType.notNullable(new ArrowType.Int(32, true)),
                                f.allocator)),
                bad("FixedShapeTensorVector.row: index past the last row", IndexOutOfBoundsException.class, "row 5",
                        f -> f.column().row(5, CPU)),
                bad("FixedShapeTensorVector.row: backend null", NullPointerException.class, "backend",
                        f -> f.column().row(0, null)),
                // TensorIpc
                bad("TensorIpc.openStream: an empty stream", MalformedIpcException.class, "schema",
                        f -> readStream(f, new byte[0])),
                bad("TensorIpc.openStream: text, whose first word reads as a huge metadata length",
                        MalformedIpcException.class, "metadata length",
                        f -> readStream(f, "this is no Arrow stream".getBytes(StandardCharsets.US_ASCII))),
                bad("TensorIpc.openStream: a negative metadata length", MalformedIpcException.class, "-16",
                        f -> readStream(f, new byte[] {-1, -1, -1, -1, -16, -1, -1, -1})),
                bad("TensorIpc.openStream: cut inside the record batch body", MalformedIpcException.class, "batch",
                        f -> readStream(f, Arrays.copyOf(validStream(), validStream().length - 16))),
                bad("TensorIpc.openStream: a record batch where the schema belongs", MalformedIpcException.class,
                        "message 0", f -> readStream(f, Arrays.copyOfRange(validStream(), firstBatchAt(validStream()),
                                validStream().length))),
                bad("TensorIpc.openStream: list size 5 for shape [2, 3]", InvalidTensorMetadataException.class,
                        "list size is 5", f -> readStream(f, IpcSeeds.denseStreams().get("bad_list_size"))),
                bad("TensorIpc.openFile: a file too small", MalformedIpcException.class, "file too small",
                        f -> readFile(f, new byte[] {'A', 'R', 'R', 'O', 'W', '1', 0, 0})),
                bad("TensorIpc.openFile: a stream given as a file", MalformedIpcException.class, "Magic",
                        f -> readFile(f, validStream())),
                bad("TensorIpc.openFile: a footer length past the start", MalformedIpcException.class,
                        "footer length", f -> readFile(f, withInt(validFile(), validFile().length - 10, 1 << 20))),
                bad("ArrowFileReader.loadRecordBatch: a block of no record batch", ArrowLayoutException.class,
                        "block", f -> {
                            try (ArrowFileReader reader = TensorIpc.openFile(
                                    new ByteArrayReadableSeekableByteChannel(validFile()), f.allocator)) {
                                return reader.loadRecordBatch(new ArrowBlock(8, 64, 64));
                            }
                        }),
                // SparseImport
                bad("SparseImport.toSparseTensor: batch null", NullPointerException.class, "batch",
                        f -> SparseImport.toSparseTensor(null, CPU, CopyPolicy.NEVER)),
                bad("SparseImport.toSparseTensor: backend null", NullPointerException.class, "backend",
                        f -> SparseImport.toSparseTensor(f.sparseBatch(), null, CopyPolicy.NEVER)),
                bad("SparseImport.toSparseValue: policy null", NullPointerException.class, "policy",
                        f -> SparseImport.toSparseValue(f.sparseBatch(), CPU, null, Access.READ_ONLY)),
                bad("SparseImport.toSparseTensor: no dense shape", ArrowLayoutException.class,
                        SparseBatchSchema.DENSE_SHAPE_KEY,
                        f -> SparseImport.toSparseTensor(f.sparseBatchWith(SparseBatchSchema.DENSE_SHAPE_KEY, null), CPU,
                                CopyPolicy.NEVER)),
                bad("SparseImport.toSparseTensor: a dense shape that is not JSON", ArrowLayoutException.class,
                        SparseBatchSchema.DENSE_SHAPE_KEY + " is [3,",
                        f -> SparseImport.toSparseTensor(f.sparseBatchWith(SparseBatchSchema.DENSE_SHAPE_KEY, "[3,"),
                                CPU, CopyPolicy.NEVER)),
                bad("SparseImport.toSparseTensor: a negative dense dimension", ArrowLayoutException.class,
                        SparseBatchSchema.DENSE_SHAPE_KEY + " is [3,-4]",
                        f -> SparseImport.toSparseTensor(f.sparseBatchWith(SparseBatchSchema.DENSE_SHAPE_KEY, "[3,-4]"),
                                CPU, CopyPolicy.NEVER)),
                bad("SparseImport.toSparseTensor: canonical neither true nor false", ArrowLayoutException.class,
                        SparseBatchSchema.CANONICAL_KEY + " is \"maybe\"",
                        f -> SparseImport.toSparseTensor(f.sparseBatchWith(SparseBatchSchema.CANONICAL_KEY, "maybe"), CPU,
                                CopyPolicy.NEVER)),
                bad("SparseImport.toSparseTensor: no values column", ArrowLayoutException.class,
                        "no column " + SparseBatchSchema.VALUES, f -> {
                            VectorSchemaRoot batch = f.sparseBatch();
                            FieldVector indices = batch.getVector(SparseBatchSchema.INDICES);
                            return SparseImport.toSparseTensor(new VectorSchemaRoot(new Schema(List.of(indices.getField()),
                                    batch.getSchema().getCustomMetadata()), List.of(indices), batch.getRowCount()), CPU,
                                    CopyPolicy.NEVER);
                        }),
                bad("SparseImport.toSparseTensor: indices that are not a FixedSizeList", ShapeMismatchException.class,
                        "column " + SparseBatchSchema.INDICES, f -> {
                            VectorSchemaRoot batch = f.sparseBatch();
                            BigIntVector flat = f.keep(new BigIntVector(SparseBatchSchema.INDICES, f.allocator));
                            flat.allocateNew(3);
                            flat.setValueCount(3);
                            FieldVector values = batch.getVector(SparseBatchSchema.VALUES);
                            return SparseImport.toSparseTensor(new VectorSchemaRoot(new Schema(List.of(flat.getField(),
                                    values.getField()), batch.getSchema().getCustomMetadata()), List.of(flat, values), 3),
                                    CPU, CopyPolicy.NEVER);
                        }),
                bad("SparseImport.toSparseTensor: an index outside the dense shape", SparseIndexException.class,
                        "indices[2, 0] is 2", f -> SparseImport.toSparseTensor(f.sparseBatchWith(SparseBatchSchema.DENSE_SHAPE_KEY,
                                "[2,2]"), CPU, CopyPolicy.NEVER)),
                bad("SparseImport.toSparseTensor: canonical=true over unsorted indices", ArrowLayoutException.class,
                        SparseBatchSchema.CANONICAL_KEY + "=true", f -> {
                            VectorSchemaRoot batch = f.sparseBatch(new long[][] {{2, 3}, {0, 1}, {1, 0}});
                            Map<String, String> metadata = new HashMap<>(batch.getSchema().getCustomMetadata());
                            metadata.put(SparseBatchSchema.CANONICAL_KEY, "true");
                            return SparseImport.toSparseTensor(relabelled(batch, metadata), CPU, CopyPolicy.NEVER);
                        }));
    }

    /** Where the first message after the schema starts in an IPC stream. */
    private static int firstBatchAt(byte[] stream) {
        int length = (stream[4] & 0xff) | (stream[5] & 0xff) << 8 | (stream[6] & 0xff) << 16 | (stream[7] & 0xff) << 24;
        return 8 + length;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void isRefusedWithTheDocumentedExceptionNamingTheArgumentAndLeavesNothingOpen(BadInput input) throws Exception {
        long liveBefore = TestMemory.liveBytes(CPU);
        Fixtures fixtures = new Fixtures();
        Throwable thrown;
        try {
            thrown = assertThrows(Throwable.class, () -> {
                Object result = input.call().run(fixtures);
                if (result instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            });
        } finally {
            fixtures.closeAll();
        }
        assertEquals(input.type(), thrown.getClass(), () -> "exception type; the exception was " + thrown);
        // A null argument and an index out of range throw the JDK's exceptions, as everywhere in the api.
        if (!(thrown instanceof NullPointerException) && !(thrown instanceof IndexOutOfBoundsException)) {
            assertTrue(thrown instanceof org.tensorbridge.TensorBridgeException coded && !coded.code().isBlank(),
                    () -> "no stable code(): " + thrown);
        }
        assertTrue(String.valueOf(thrown.getMessage()).contains(input.named()), () -> "the message does not name '"
                + input.named() + "': " + thrown.getMessage());
        assertEquals(0, fixtures.allocator.getAllocatedMemory(), fixtures.allocator::toVerboseString);
        fixtures.allocator.close();
        assertEquals(liveBefore, TestMemory.liveBytes(CPU), "backend memory left open");
    }
}
