package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;

/** Arrow columns (filled the ordinary Arrow way, in allocator memory) to CPU tensors and host arrays. */
class ArrowImportTest {
    @RegisterExtension
    final ArrowAllocatorExtension arrow = new ArrowAllocatorExtension();

    private final Backend cpu = TestMemory.cpu();
    private long liveBefore;

    @BeforeEach
    void recordBackendMemory() {
        liveBefore = TestMemory.liveBytes(cpu);
    }

    @Test
    void theTensorIsTheColumnsMemoryAndWritesCrossBothWays() {
        try (FixedShapeTensorVector vector = doubles(3, 2, 2);
                Tensor tensor = ArrowImport.toTensor(vector, cpu, CopyPolicy.NEVER)) {
            assertEquals(Shape.of(3, 2, 2), tensor.shape());
            assertEquals(DType.FLOAT64, tensor.dtype());
            Float8Vector elements = (Float8Vector) vector.elements();
            assertEquals(elements.getDataBuffer().memoryAddress(), TestMemory.address(tensor));
            elements.set(5, -5.0);
            try (HostArray host = tensor.toHost()) {
                assertEquals(-5.0, host.getDouble(1, 0, 1), "a write to the column is seen in the tensor");
            }
            try (HostArray writable = tensor.toHost(CopyPolicy.NEVER, Access.WRITABLE)) {
                writable.setDouble(0.25, 2, 1, 1);
            }
            assertEquals(0.25, elements.get(11), "a write through the tensor reaches the column");
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void closingTheVectorFirstLeavesTheTensorValidAndArrowCountingTheMemory() {
        Tensor tensor;
        long dataBytes;
        try (FixedShapeTensorVector vector = doubles(2, 3)) {
            // Arrow may carve the validity and data buffers out of one allocation; that allocation stays held.
            dataBytes = vector.elements().getDataBuffer().getReferenceManager().getAccountedSize();
            tensor = ArrowImport.toTensor(vector, cpu, CopyPolicy.IF_NEEDED);
        }
        assertEquals(dataBytes, arrow.allocator().getAllocatedMemory(), "only the data buffer's allocation is still held");
        try (HostArray host = tensor.toHost()) {
            assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, host.toDoubleArray());
        }
        tensor.close();
        assertEquals(0, arrow.allocator().getAllocatedMemory(), "closing the tensor gave the buffer back");
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void closingTheTensorFirstGivesItsReferenceBack() {
        try (FixedShapeTensorVector vector = doubles(2, 3)) {
            long held = arrow.allocator().getAllocatedMemory();
            ArrowImport.toTensor(vector, cpu, CopyPolicy.NEVER).close();
            assertEquals(held, arrow.allocator().getAllocatedMemory());
            assertEquals(5.0, ((Float8Vector) vector.elements()).get(5), "the column is untouched");
        }
    }

    @Test
    void aHostArrayAliasesTheColumnAndOutlivesIt() {
        HostArray host;
        long address;
        try (FixedShapeTensorVector vector = doubles(2, 2)) {
            address = vector.elements().getDataBuffer().memoryAddress();
            host = ArrowImport.toHostArray(vector, cpu, CopyPolicy.NEVER, Access.READ_ONLY);
        }
        assertEquals(Sharing.SHARED, host.sharing());
        assertEquals(0, host.bytesCopied());
        assertEquals(Shape.of(2, 2), host.shape());
        assertEquals(address, TestMemory.address(host));
        assertArrayEquals(new double[] {0, 1, 2, 3}, host.toDoubleArray());
        host.close();
        assertEquals(0, arrow.allocator().getAllocatedMemory());
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void alwaysGivesOneIndependentCopy() {
        try (FixedShapeTensorVector vector = doubles(2, 2);
                HostArray copy = ArrowImport.toHostArray(vector, cpu, CopyPolicy.ALWAYS, Access.READ_ONLY)) {
            assertEquals(Sharing.INDEPENDENT, copy.sharing());
            assertEquals(32, copy.bytesCopied());
            assertNotEquals(vector.elements().getDataBuffer().memoryAddress(), TestMemory.address(copy));
            ((Float8Vector) vector.elements()).set(0, 9.0);
            assertEquals(0.0, copy.getDouble(0, 0));
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void aPlainFixedSizeListTakesTheRowShapeFromTheCaller() {
        try (FixedSizeListVector list = FixedSizeListVector.empty("plain", 6, arrow.allocator())) {
            list.addOrGetVector(FieldType.notNullable(new ArrowType.Int(32, true)));
            list.allocateNew();
            IntVector ints = (IntVector) list.getDataVector();
            for (int i = 0; i < 12; i++) {
                ints.setSafe(i, i * 10);
            }
            ints.setValueCount(12);
            list.setNotNull(0);
            list.setNotNull(1);
            list.setValueCount(2);
            try (Tensor tensor = ArrowImport.toTensor(list, Shape.of(3, 2), cpu, CopyPolicy.NEVER);
                    HostArray host = tensor.toHost()) {
                assertEquals(Shape.of(2, 3, 2), host.shape());
                assertEquals(ints.getDataBuffer().memoryAddress(), TestMemory.address(host));
                assertEquals(110, host.getInt(1, 2, 1));
            }
            ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                    () -> ArrowImport.toTensor(list, Shape.of(4, 2), cpu, CopyPolicy.NEVER));
            assertTrue(e.getMessage().contains("6"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ArrowImport.toTensor(list, cpu, CopyPolicy.NEVER));
        }
    }

    @Test
    void aPlainFixedWidthColumnBecomesARankOneTensor() {
        try (IntVector ints = new IntVector("v", arrow.allocator())) {
            ints.allocateNew(3);
            ints.set(0, 4);
            ints.set(1, 5);
            ints.set(2, 6);
            ints.setValueCount(3);
            try (Tensor tensor = ArrowImport.toTensor(ints, cpu, CopyPolicy.NEVER); HostArray host = tensor.toHost()) {
                assertArrayEquals(new int[] {4, 5, 6}, host.toIntArray());
                assertEquals(ints.getDataBuffer().memoryAddress(), TestMemory.address(host));
            }
        }
    }

    @Test
    void nullsAreRefusedUnlessEveryValueIsValid() {
        try (FixedShapeTensorVector vector = doubles(3, 2)) {
            vector.getUnderlyingVector().setNull(1);
            NullElementsException rows = assertThrows(NullElementsException.class,
                    () -> ArrowImport.toTensor(vector, cpu, CopyPolicy.IF_NEEDED));
            assertTrue(rows.getMessage().contains("row 1"), rows.getMessage());
            vector.getUnderlyingVector().setNotNull(1);
            ((Float8Vector) vector.elements()).setNull(4);
            NullElementsException elements = assertThrows(NullElementsException.class,
                    () -> ArrowImport.toTensor(vector, cpu, CopyPolicy.IF_NEEDED));
            assertTrue(elements.getMessage().contains("element 4"), elements.getMessage());
            ((Float8Vector) vector.elements()).set(4, 4.0);
            try (Tensor ok = ArrowImport.toTensor(vector, cpu, CopyPolicy.IF_NEEDED)) {
                assertEquals(Shape.of(3, 2), ok.shape());
            }
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void nonNumericElementsAreRefused() {
        try (VarCharVector strings = new VarCharVector("s", arrow.allocator())) {
            strings.allocateNew();
            strings.setValueCount(0);
            assertThrows(IllegalArgumentException.class, () -> ArrowImport.toTensor(strings, cpu, CopyPolicy.NEVER));
        }
    }

    /** {@code rows} rows of {@code rowShape} float64 elements 0, 1, 2, ... */
    private FixedShapeTensorVector doubles(int rows, long... rowShape) {
        FixedShapeTensorVector vector = FixedShapeTensorVector.create("t", FixedShapeTensorType.of(Shape.of(rowShape)),
                DType.FLOAT64, arrow.allocator());
        int size = (int) Shape.of(rowShape).elementCount();
        vector.allocateNew();
        Float8Vector elements = (Float8Vector) vector.elements();
        for (int i = 0; i < rows * size; i++) {
            elements.setSafe(i, i);
        }
        elements.setValueCount(rows * size);
        for (int r = 0; r < rows; r++) {
            vector.getUnderlyingVector().setNotNull(r);
        }
        vector.setValueCount(rows);
        return vector;
    }
}
