package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;

/** Dense tensors to fixed_shape_tensor columns: zero-copy proved by address and by writes, and the lifetime rules. */
class ArrowExportTest {
    @RegisterExtension
    final ArrowAllocatorExtension arrow = new ArrowAllocatorExtension();

    private final Backend cpu = TestMemory.cpu();
    private long liveBefore;

    @BeforeEach
    void recordBackendMemory() {
        liveBefore = TestMemory.liveBytes(cpu);
    }

    private void assertBackendMemoryReleased() {
        assertEquals(liveBefore, TestMemory.liveBytes(cpu), "the CPU backend still holds memory");
    }

    @Test
    void theColumnsDataBufferIsTheTensorsMemory() {
        try (Tensor tensor = cpu.constant(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
                ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator())) {
            FixedShapeTensorVector vector = export.vector();
            assertEquals(TestMemory.address(tensor), vector.elements().getDataBuffer().memoryAddress());
            assertEquals(Sharing.SHARED, export.sharing());
            assertEquals(0, export.bytesCopied());
            assertEquals(3, vector.getValueCount());
            assertEquals(Shape.of(2), vector.rowShape());
            assertEquals("{\"shape\":[2]}", vector.type().serialize());
            assertEquals(0, vector.getNullCount());
            Float4Vector elements = (Float4Vector) vector.elements();
            for (int i = 0; i < 6; i++) {
                assertEquals(i + 1, elements.get(i));
            }
        }
        assertBackendMemoryReleased();
    }

    @Test
    void writesToTheTensorAreSeenInTheColumn() {
        try (Tensor tensor = cpu.constant(new float[] {1, 2, 3, 4}, 2, 2);
                ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator());
                HostArray writable = tensor.toHost(CopyPolicy.NEVER, Access.WRITABLE)) {
            writable.setFloat(42f, 1, 0);
            assertEquals(42f, ((Float4Vector) export.vector().elements()).get(2));
        }
        assertBackendMemoryReleased();
    }

    @Test
    void writesThroughAWritableExportReachTheTensor() {
        ExportOptions writable = ExportOptions.defaults().withAccess(Access.WRITABLE);
        try (Tensor tensor = cpu.constant(new long[] {1, 2, 3, 4, 5, 6}, 2, 3);
                ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator(), writable)) {
            ((BigIntVector) export.vector().elements()).set(4, -7L);
            try (HostArray host = tensor.toHost()) {
                assertEquals(-7L, host.getLong(1, 1));
            }
            try (Tensor sum = tensor.add(1L); HostArray result = sum.toHost()) {
                assertArrayEquals(new long[] {2, 3, 4, 5, -6, 7}, result.toLongArray(), "later operations see the write");
            }
        }
        assertBackendMemoryReleased();
    }

    @Test
    void closingTheTensorFirstLeavesTheColumnValidUntilItIsClosed() {
        Tensor tensor = cpu.constant(new double[] {1.5, 2.5, 3.5, 4.5}, 4);
        ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator());
        long address = export.vector().elements().getDataBuffer().memoryAddress();
        tensor.close();
        assertEquals(32, arrow.allocator().getAllocatedMemory() - validityBytes(export), "Arrow counts the lent memory");
        assertTrue(TestMemory.liveBytes(cpu) > liveBefore, "the column's reference keeps the tensor memory");
        try (HostArray row = export.vector().row(3, cpu, Access.READ_ONLY)) {
            assertEquals(4.5, row.getDouble());
            assertEquals(address + 24, TestMemory.address(row));
        }
        export.close();
        assertEquals(0, arrow.allocator().getAllocatedMemory());
        assertBackendMemoryReleased();
    }

    @Test
    void closingTheColumnFirstLeavesTheTensorUntouched() {
        try (Tensor tensor = cpu.constant(new int[] {7, 8, 9, 10}, 2, 2)) {
            ArrowExport.export(tensor, "t", arrow.allocator()).close();
            assertEquals(0, arrow.allocator().getAllocatedMemory(), "nothing of Arrow's is left");
            try (HostArray host = tensor.toHost()) {
                assertArrayEquals(new int[] {7, 8, 9, 10}, host.toIntArray());
            }
        }
        assertBackendMemoryReleased();
    }

    @Test
    void aRowTakenFromTheColumnKeepsTheMemoryAfterBothAreClosed() {
        Tensor tensor = cpu.constant(new short[] {1, 2, 3, 4}, 2, 2);
        ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator());
        HostArray row = export.vector().row(1, cpu, Access.READ_ONLY);
        tensor.close();
        export.close();
        assertArrayEquals(new short[] {3, 4}, row.toShortArray());
        assertTrue(arrow.allocator().getAllocatedMemory() > 0);
        row.close();
        assertEquals(0, arrow.allocator().getAllocatedMemory());
        assertBackendMemoryReleased();
    }

    @Test
    void deviceTensorsAreCopiedAndTheResultSaysSo() {
        try (Tensor memory = cpu.constant(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
                Tensor device = new DeviceTensorStandIn(memory);
                ExportedTensor export = ArrowExport.export(device, "t", arrow.allocator())) {
            assertEquals(Sharing.INDEPENDENT, export.sharing());
            assertEquals(24, export.bytesCopied());
            assertNotEquals(TestMemory.address(memory), export.vector().elements().getDataBuffer().memoryAddress());
            try (HostArray writable = memory.toHost(CopyPolicy.NEVER, Access.WRITABLE)) {
                writable.setFloat(100f, 0, 0);
            }
            assertEquals(1f, ((Float4Vector) export.vector().elements()).get(0), "the copy does not see the device");
        }
        assertBackendMemoryReleased();
    }

    @Test
    void neverFailsForDeviceTensorsNamingAPolicyThatWorks() {
        ExportOptions never = ExportOptions.defaults().withPolicy(CopyPolicy.NEVER);
        try (Tensor memory = cpu.constant(new float[] {1, 2}, 2); Tensor device = new DeviceTensorStandIn(memory)) {
            CopyRequiredException e = assertThrows(CopyRequiredException.class,
                    () -> ArrowExport.export(device, "t", arrow.allocator(), never));
            assertTrue(e.getMessage().contains("IF_NEEDED"), e.getMessage());
        }
    }

    @Test
    void alwaysCopiesEvenWhenSharingIsPossible() {
        ExportOptions always = ExportOptions.defaults().withPolicy(CopyPolicy.ALWAYS);
        try (Tensor tensor = cpu.constant(new int[] {1, 2, 3, 4}, 4);
                ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator(), always)) {
            assertEquals(Sharing.INDEPENDENT, export.sharing());
            assertEquals(16, export.bytesCopied());
            assertNotEquals(TestMemory.address(tensor), export.vector().elements().getDataBuffer().memoryAddress());
        }
        assertBackendMemoryReleased();
    }

    @Test
    void aHostArrayIsHandedOverAndClosedWithTheColumn() {
        try (Tensor tensor = cpu.constant(new float[] {1, 2, 3, 4}, 2, 2)) {
            HostArray view = tensor.toHost(CopyPolicy.NEVER);
            ExportedTensor export = ArrowExport.export(view, "t", arrow.allocator(), List.of("x"));
            assertEquals(Sharing.SHARED, export.sharing());
            assertEquals(TestMemory.address(tensor), export.vector().elements().getDataBuffer().memoryAddress());
            assertEquals(List.of("x"), export.vector().type().metadata().dimNames().orElseThrow());
            assertFalse(view.isClosed());
            export.close();
            assertTrue(view.isClosed(), "the column closes the host array it was handed");
        }
        assertBackendMemoryReleased();
    }

    @Test
    void dimensionNamesFromTheOptionsAreWrittenToTheType() {
        ExportOptions named = ExportOptions.defaults().withDimNames(List.of("H", "W"));
        try (Tensor tensor = cpu.zeros(DType.UINT8, Shape.of(5, 4, 3));
                ExportedTensor export = ArrowExport.export(tensor, "images", arrow.allocator(), named)) {
            assertEquals("{\"shape\":[4,3],\"dim_names\":[\"H\",\"W\"]}", export.vector().type().serialize());
            assertEquals("images", export.vector().getField().getName());
        }
    }

    @Test
    void boolTensorsBecomeBool8ColumnsOverTheSameBytes() {
        try (Tensor bools = cpu.constant(new boolean[] {true, false, false, true}, 2, 2);
                ExportedTensor export = ArrowExport.export(bools, "t", arrow.allocator())) {
            FieldVector elements = export.vector().getUnderlyingVector().getDataVector();
            Bool8Vector bool8 = assertInstanceOf(Bool8Vector.class, elements);
            assertEquals(Bool8Type.INSTANCE, bool8.getField().getType());
            assertEquals(TestMemory.address(bools), bool8.getUnderlyingVector().getDataBuffer().memoryAddress());
            assertEquals(Sharing.SHARED, export.sharing());
            assertArrayEquals(new boolean[] {false, true}, (boolean[]) export.vector().getObject(1));
            try (Tensor back = ArrowImport.toTensor(export.vector(), cpu, CopyPolicy.NEVER);
                    HostArray host = back.toHost()) {
                assertArrayEquals(new boolean[] {true, false, false, true}, host.toBooleanArray());
            }
        }
        assertBackendMemoryReleased();
    }

    @Test
    void aPermutationExportsATransposedViewWithoutACopy() {
        float[] data = new float[2 * 3 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        try (Tensor tensor = cpu.constant(data, 2, 3, 4);
                ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator(),
                        ExportOptions.defaults().withPermutation(1, 0).withDimNames(List.of("rows", "columns")))) {
            FixedShapeTensorVector vector = export.vector();
            assertEquals("{\"shape\":[3,4],\"dim_names\":[\"rows\",\"columns\"],\"permutation\":[1,0]}",
                    vector.type().serialize());
            assertEquals(Sharing.SHARED, export.sharing());
            assertEquals(TestMemory.address(tensor), vector.elements().getDataBuffer().memoryAddress());
            assertEquals(Shape.of(4, 3), vector.rowShape());
            assertThrows(org.tensorbridge.CopyRequiredException.class,
                    () -> ArrowImport.toTensor(vector, cpu, CopyPolicy.NEVER));
            try (Tensor logical = ArrowImport.toTensor(vector, cpu, CopyPolicy.IF_NEEDED);
                    HostArray host = logical.toHost()) {
                assertEquals(Shape.of(2, 4, 3), host.shape());
                // row 1, logical [3][2] is stored [2][3] of row 1: 12 + 2 * 4 + 3
                assertEquals(23f, host.getFloat(1, 3, 2));
                assertEquals(4f, host.getFloat(0, 0, 1));
            }
            try (Tensor stored = ArrowImport.toStoredTensor(vector, cpu, CopyPolicy.NEVER)) {
                assertEquals(Shape.of(2, 3, 4), stored.shape());
                assertEquals(TestMemory.address(tensor), TestMemory.address(stored));
            }
            assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, (float[]) vector.getObject(0));
        }
        assertBackendMemoryReleased();
    }

    @Test
    void typesWithoutASameLayoutArrowTypeAndScalarsAreRefusedBeforeAnythingIsTaken() {
        try (Tensor brain = cpu.zeros(DType.BFLOAT16, Shape.of(2, 2));
                Tensor scalar = cpu.scalar(DType.FLOAT32, 1f)) {
            assertTrue(assertThrows(UnsupportedDTypeException.class,
                    () -> ArrowExport.export(brain, "t", arrow.allocator())).getMessage().contains("float32"));
            assertTrue(assertThrows(ShapeMismatchException.class,
                    () -> ArrowExport.export(scalar, "t", arrow.allocator())).getMessage().contains("[1]"));
        }
        assertBackendMemoryReleased();
    }

    @Test
    void emptyTensorsBecomeEmptyColumns() {
        try (Tensor tensor = cpu.zeros(DType.FLOAT64, Shape.of(0, 3));
                ExportedTensor export = ArrowExport.export(tensor, "t", arrow.allocator())) {
            assertEquals(0, export.vector().getValueCount());
            assertEquals(Shape.of(3), export.vector().rowShape());
        }
        assertBackendMemoryReleased();
    }

    /** What the allocator counts for a read-only column's bitmaps: one lent buffer, as long as the longer one. */
    private static long validityBytes(ExportedTensor export) {
        return Math.max(export.vector().getUnderlyingVector().getValidityBuffer().capacity(),
                export.vector().elements().getValidityBuffer().capacity());
    }
}
