package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.ArrowType.ExtensionType;
import org.apache.arrow.vector.types.pojo.ExtensionTypeRegistry;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.arrow.InvalidTensorMetadataException.Rule;

/** IPC files and streams carrying arrow.fixed_shape_tensor, through Arrow's own writers and readers. */
class TensorIpcTest {
    @RegisterExtension
    final ArrowAllocatorExtension arrow = new ArrowAllocatorExtension();

    @TempDir
    Path directory;

    private final Backend cpu = TestMemory.cpu();
    private long liveBefore;

    @BeforeEach
    void recordBackendMemory() {
        liveBefore = TestMemory.liveBytes(cpu);
    }

    @Test
    void aFileRoundTripGivesTheExtensionTypeBackAndATensorThatOutlivesTheReader() throws Exception {
        Path file = directory.resolve("tensors.arrow");
        float[] data = new float[24];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f;
        }
        ExportOptions named = ExportOptions.defaults().withDimNames(List.of("H", "W"));
        try (Tensor tensor = cpu.constant(data, 4, 2, 3);
                ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator(), named);
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(export.vector()));
                FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            TensorIpc.writeFile(root, out);
        }
        Tensor back;
        try (FileChannel in = FileChannel.open(file); ArrowFileReader reader = TensorIpc.openFile(in, arrow.allocator())) {
            assertTrue(reader.loadNextBatch());
            FieldVector column = reader.getVectorSchemaRoot().getVector("t");
            FixedShapeTensorVector vector = assertInstanceOf(FixedShapeTensorVector.class, column);
            assertEquals(FixedShapeTensorType.of(FixedShapeTensorMetadata.of(Shape.of(2, 3))
                    .withDimNames(List.of("H", "W"))), vector.type());
            back = ArrowImport.toTensor(vector, cpu, CopyPolicy.NEVER);
            assertEquals(vector.elements().getDataBuffer().memoryAddress(), TestMemory.address(back));
        }
        try (HostArray host = back.toHost()) {
            assertEquals(Shape.of(4, 2, 3), host.shape());
            assertArrayEquals(data, host.toFloatArray());
        }
        back.close();
        assertEquals(0, arrow.allocator().getAllocatedMemory());
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"INT8", "UINT8", "INT16", "INT32", "INT64", "FLOAT16", "FLOAT32", "FLOAT64"})
    void everyDTypeWithAnArrowCounterpartRoundTripsItsBytesThroughAStream(DType dtype) throws Exception {
        byte[] bytes = new byte[3 * 2 * dtype.byteWidth()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 37 + 11);
        }
        ByteBuffer source = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder()).put(bytes).flip();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (Tensor tensor = cpu.fromBuffer(source, dtype, Shape.of(3, 2), CopyPolicy.ALWAYS);
                ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator());
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(export.vector()))) {
            TensorIpc.writeStream(root, stream);
        }
        try (ArrowStreamReader reader = TensorIpc.openStream(new ByteArrayInputStream(stream.toByteArray()),
                arrow.allocator())) {
            assertTrue(reader.loadNextBatch());
            FixedShapeTensorVector vector = (FixedShapeTensorVector) reader.getVectorSchemaRoot().getVector("t");
            assertEquals(dtype, vector.dtype());
            try (HostArray host = ArrowImport.toHostArray(vector, cpu, CopyPolicy.NEVER, org.tensorbridge.Access.READ_ONLY)) {
                assertEquals(dtype, host.dtype());
                assertEquals(Shape.of(3, 2), host.shape());
                byte[] back = new byte[bytes.length];
                host.asByteBuffer().get(back);
                assertArrayEquals(bytes, back);
            }
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @ParameterizedTest
    @EnumSource(IpcCompression.class)
    void everyCodecRoundTripsAStreamAndAFile(IpcCompression compression) throws Exception {
        float[] data = new float[4 * 64];
        for (int i = 0; i < data.length; i++) {
            data[i] = i % 7; // compressible
        }
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        Path file = directory.resolve("c.arrow");
        try (Tensor tensor = cpu.constant(data, 4, 8, 8);
                ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator());
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(export.vector()));
                FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            TensorIpc.writeStream(root, stream, compression);
            TensorIpc.writeFile(root, out, compression);
        }
        if (compression != IpcCompression.NONE) {
            assertTrue(stream.size() < data.length * 4, "the body is compressed: " + stream.size() + " bytes");
        }
        try (ArrowStreamReader reader = TensorIpc.openStream(new ByteArrayInputStream(stream.toByteArray()),
                arrow.allocator());
                FileChannel in = FileChannel.open(file);
                ArrowFileReader fileReader = TensorIpc.openFile(in, arrow.allocator())) {
            assertTrue(reader.loadNextBatch());
            assertTrue(fileReader.loadNextBatch());
            for (FixedShapeTensorVector vector : List.of((FixedShapeTensorVector) reader.getVectorSchemaRoot()
                    .getVector("t"), (FixedShapeTensorVector) fileReader.getVectorSchemaRoot().getVector("t"))) {
                try (Tensor back = ArrowImport.toTensor(vector, cpu, CopyPolicy.NEVER); HostArray host = back.toHost()) {
                    assertArrayEquals(data, host.toFloatArray());
                    // shared with the batch's (decompressed) buffer: decompression was the one copy
                    assertEquals(vector.elements().getDataBuffer().memoryAddress(), TestMemory.address(back));
                }
            }
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void thePermutationAndDimNamesSurviveAStream() throws Exception {
        FixedShapeTensorType type = FixedShapeTensorType.of(FixedShapeTensorMetadata.of(Shape.of(2, 3, 1))
                .withDimNames(List.of("C", "H", "W")).withPermutation(2, 0, 1));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (FixedShapeTensorVector vector = FixedShapeTensorVector.create("t", type, DType.INT32, arrow.allocator());
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(vector))) {
            vector.allocateNew();
            IntVector elements = (IntVector) vector.elements();
            for (int i = 0; i < 6; i++) {
                elements.setSafe(i, i);
            }
            elements.setValueCount(6);
            vector.getUnderlyingVector().setNotNull(0);
            root.setRowCount(1);
            TensorIpc.writeStream(root, stream);
        }
        try (ArrowStreamReader reader = TensorIpc.openStream(new ByteArrayInputStream(stream.toByteArray()),
                arrow.allocator())) {
            assertTrue(reader.loadNextBatch());
            FixedShapeTensorVector vector = (FixedShapeTensorVector) reader.getVectorSchemaRoot().getVector("t");
            assertEquals(type, vector.type());
            assertEquals(Shape.of(1, 2, 3), vector.type().metadata().logicalShape());
            try (HostArray row = vector.row(0, cpu, org.tensorbridge.Access.READ_ONLY)) {
                // logical (0, 1, 2) is stored (1, 2, 0): element 1 * 3 + 2 of the stored row
                assertEquals(Shape.of(1, 2, 3), row.shape());
                assertEquals(5, row.getInt(0, 1, 2));
                assertEquals(org.tensorbridge.Sharing.INDEPENDENT, row.sharing(), "a transposed row is a copy");
            }
        }
    }

    @Test
    void aFileWhoseMetadataBreaksTheSpecificationIsRejectedWhenRead() throws Exception {
        Path file = directory.resolve("bad.arrow");
        Map<String, String> metadata = Map.of(ExtensionType.EXTENSION_METADATA_KEY_NAME, "arrow.fixed_shape_tensor",
                ExtensionType.EXTENSION_METADATA_KEY_METADATA, "{\"shape\":[2,3]}");
        Field item = new Field("item", FieldType.notNullable(new ArrowType.Int(32, true)), null);
        Field bad = new Field("t", new FieldType(false, new ArrowType.FixedSizeList(5), null, metadata), List.of(item));
        try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(bad)), arrow.allocator());
                FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            root.setRowCount(0);
            TensorIpc.writeFile(root, out);
        }
        try (FileChannel in = FileChannel.open(file); ArrowFileReader reader = TensorIpc.openFile(in, arrow.allocator())) {
            InvalidTensorMetadataException e = assertThrows(InvalidTensorMetadataException.class,
                    reader::getVectorSchemaRoot);
            assertEquals(Rule.LIST_SIZE_NOT_SHAPE_PRODUCT, e.rule());
        }
    }

    @Test
    void aReaderThatDoesNotKnowTheTypeSeesTheStorageWhichImportsWithAShape() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (Tensor tensor = cpu.constant(new int[] {1, 2, 3, 4, 5, 6}, 3, 2);
                ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator());
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(export.vector()))) {
            TensorIpc.writeStream(root, stream);
        }
        ExtensionTypeRegistry.unregister(FixedShapeTensorType.of(Shape.of(1)));
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream.toByteArray()),
                arrow.allocator())) {
            assertTrue(reader.loadNextBatch());
            FixedSizeListVector storage = assertInstanceOf(FixedSizeListVector.class,
                    reader.getVectorSchemaRoot().getVector("t"));
            assertEquals("arrow.fixed_shape_tensor",
                    storage.getField().getMetadata().get(ExtensionType.EXTENSION_METADATA_KEY_NAME));
            try (Tensor tensor = ArrowImport.toTensor(storage, Shape.of(2), cpu, CopyPolicy.NEVER);
                    HostArray host = tensor.toHost()) {
                assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, host.toIntArray());
            }
        } finally {
            FixedShapeTensorType.ensureRegistered();
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }
}
