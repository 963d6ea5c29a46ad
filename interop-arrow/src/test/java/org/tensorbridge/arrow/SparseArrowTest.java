package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;

/** Sparse tensors as COO record batches, both directions, zero-copy proved by address. */
class SparseArrowTest {
    @RegisterExtension
    final ArrowAllocatorExtension arrow = new ArrowAllocatorExtension();

    private final Backend cpu = TestMemory.cpu();
    private long liveBefore;

    @BeforeEach
    void recordBackendMemory() {
        liveBefore = TestMemory.liveBytes(cpu);
    }

    private SparseTensor sample() {
        return cpu.sparseCoo(new long[][] {{0, 1}, {1, 0}, {2, 3}}, new float[] {1.5f, -2f, 4f}, 3, 4);
    }

    @Test
    void theBatchsColumnsAreTheSparseValuesArrays() {
        try (SparseTensor tensor = sample();
                VectorSchemaRoot batch = SparseExport.toRecordBatch(tensor, arrow.allocator());
                SparseValue value = tensor.toSparseValue(CopyPolicy.NEVER)) {
            FixedSizeListVector indices = (FixedSizeListVector) batch.getVector(SparseBatchSchema.INDICES);
            Float4Vector values = (Float4Vector) batch.getVector(SparseBatchSchema.VALUES);
            assertEquals(TestMemory.address(value.indices()), indices.getDataVector().getDataBuffer().memoryAddress());
            assertEquals(TestMemory.address(value.values()), values.getDataBuffer().memoryAddress());
            assertEquals(3, batch.getRowCount());
            assertEquals(new ArrowType.FixedSizeList(2), indices.getField().getType());
            assertEquals(new ArrowType.Int(64, true), indices.getDataVector().getField().getType());
            Map<String, String> metadata = batch.getSchema().getCustomMetadata();
            assertEquals("[3,4]", metadata.get(SparseBatchSchema.DENSE_SHAPE_KEY));
            assertEquals("true", metadata.get(SparseBatchSchema.CANONICAL_KEY));
            BigIntVector indexElements = (BigIntVector) indices.getDataVector();
            assertEquals(2, indexElements.get(4));
            assertEquals(3, indexElements.get(5));
            assertEquals(-2f, values.get(1));
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void theBatchOutlivesTheTensorAndFreesEverythingWhenClosed() {
        SparseTensor tensor = sample();
        VectorSchemaRoot batch = SparseExport.toRecordBatch(tensor, arrow.allocator());
        tensor.close();
        assertEquals(4f, ((Float4Vector) batch.getVector(SparseBatchSchema.VALUES)).get(2));
        batch.close();
        assertEquals(0, arrow.allocator().getAllocatedMemory());
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void importingGivesTheSameSparseTensorOverTheArrowMemory() {
        try (SparseTensor original = cpu.sparseCoo(new long[][] {{2, 0}, {0, 1}}, new double[] {7, 8}, 3, 2);
                VectorSchemaRoot batch = SparseExport.toRecordBatch(original, arrow.allocator());
                SparseTensor imported = SparseImport.toSparseTensor(batch, cpu, CopyPolicy.NEVER);
                SparseValue value = imported.toSparseValue(CopyPolicy.NEVER)) {
            assertEquals(Shape.of(3, 2), imported.denseShape());
            assertEquals(2, imported.nnz());
            assertFalse(imported.isCanonical());
            assertEquals("false", batch.getSchema().getCustomMetadata().get(SparseBatchSchema.CANONICAL_KEY));
            FixedSizeListVector indices = (FixedSizeListVector) batch.getVector(SparseBatchSchema.INDICES);
            assertEquals(indices.getDataVector().getDataBuffer().memoryAddress(), TestMemory.address(value.indices()));
            assertEquals(batch.getVector(SparseBatchSchema.VALUES).getDataBuffer().memoryAddress(),
                    TestMemory.address(value.values()));
            assertArrayEquals(new long[] {2, 0, 0, 1}, value.indices().toLongArray());
            assertArrayEquals(new double[] {7, 8}, value.values().toDoubleArray());
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void anImportedSparseValueOutlivesTheBatch() {
        SparseValue value;
        try (SparseTensor tensor = sample(); VectorSchemaRoot batch = SparseExport.toRecordBatch(tensor, arrow.allocator())) {
            value = SparseImport.toSparseValue(batch, cpu, CopyPolicy.IF_NEEDED, Access.READ_ONLY);
        }
        assertEquals(Sharing.SHARED, value.values().sharing());
        assertArrayEquals(new float[] {1.5f, -2f, 4f}, value.values().toFloatArray());
        assertTrue(value.isCanonical());
        try (var csr = value.toCsr()) {
            assertArrayEquals(new long[] {0, 1, 2, 3}, csr.indptr().toLongArray());
        }
        value.close();
        assertEquals(0, arrow.allocator().getAllocatedMemory());
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void aFalseCanonicalClaimIsRefused() {
        try (SparseTensor unsorted = cpu.sparseCoo(new long[][] {{1, 0}, {0, 0}}, new float[] {1, 2}, 2, 2);
                VectorSchemaRoot batch = SparseExport.toRecordBatch(unsorted, arrow.allocator())) {
            Schema claim = new Schema(batch.getSchema().getFields(), Map.of(SparseBatchSchema.DENSE_SHAPE_KEY, "[2,2]",
                    SparseBatchSchema.CANONICAL_KEY, "true"));
            VectorSchemaRoot lying = new VectorSchemaRoot(claim, batch.getFieldVectors(), batch.getRowCount());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SparseImport.toSparseTensor(lying, cpu, CopyPolicy.NEVER));
            assertTrue(e.getMessage().contains("canonical"), e.getMessage());
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void aBatchWithoutTheLayoutsMetadataIsRefused() {
        try (SparseTensor tensor = sample(); VectorSchemaRoot batch = SparseExport.toRecordBatch(tensor, arrow.allocator())) {
            VectorSchemaRoot bare = new VectorSchemaRoot(new Schema(batch.getSchema().getFields()),
                    batch.getFieldVectors(), batch.getRowCount());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SparseImport.toSparseTensor(bare, cpu, CopyPolicy.NEVER));
            assertTrue(e.getMessage().contains(SparseBatchSchema.DENSE_SHAPE_KEY), e.getMessage());
        }
    }

    @Test
    void theLayoutSurvivesAnIpcStream() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (SparseTensor tensor = sample(); VectorSchemaRoot batch = SparseExport.toRecordBatch(tensor, arrow.allocator())) {
            TensorIpc.writeStream(batch, bytes);
        }
        try (ArrowStreamReader reader = TensorIpc.openStream(new ByteArrayInputStream(bytes.toByteArray()),
                arrow.allocator())) {
            assertTrue(reader.loadNextBatch());
            try (SparseTensor back = SparseImport.toSparseTensor(reader.getVectorSchemaRoot(), cpu, CopyPolicy.NEVER);
                    SparseValue value = back.toSparseValue()) {
                assertEquals(Shape.of(3, 4), back.denseShape());
                assertTrue(back.isCanonical());
                assertArrayEquals(new long[] {0, 1, 1, 0, 2, 3}, value.indices().toLongArray());
                assertArrayEquals(new float[] {1.5f, -2f, 4f}, value.values().toFloatArray());
            }
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }
    @Test
    void aSparseValueIsHandedOverAndClosedWhenTheBatchIs() {
        try (SparseTensor tensor = sample()) {
            SparseValue value = tensor.toSparseValue(CopyPolicy.NEVER);
            VectorSchemaRoot batch = SparseExport.toRecordBatch(value, arrow.allocator());
            assertFalse(value.isClosed());
            batch.close();
            assertTrue(value.indices().isClosed() && value.values().isClosed(), "both arrays were released");
            assertTrue(value.isClosed(), "the value was closed with its last Arrow buffer");
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void valuesWithoutAnArrowCounterpartAreRefusedAndTheTensorIsUntouched() {
        try (var values = cpu.zeros(org.tensorbridge.DType.BFLOAT16, Shape.of(2));
                var indices = cpu.constant(new long[] {0, 1}, 2, 1);
                SparseTensor brain = cpu.sparseCoo(indices, values, Shape.of(2))) {
            assertThrows(org.tensorbridge.UnsupportedDTypeException.class,
                    () -> SparseExport.toRecordBatch(brain, arrow.allocator()));
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }
}
