package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.ArrowType.ExtensionType;
import org.apache.arrow.vector.types.pojo.ExtensionTypeRegistry;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.ReadOnlyException;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;

/** The extension type, its registration, and its vector's rows as host arrays (through a backend) and Java arrays. */
class FixedShapeTensorTypeTest {
    @RegisterExtension
    final ArrowAllocatorExtension arrow = new ArrowAllocatorExtension();

    private final Backend cpu = TestMemory.cpu();

    @Test
    void isRegisteredUnderTheCanonicalName() {
        ExtensionTypeRegistry.unregister(FixedShapeTensorType.of(Shape.of(1)));
        FixedShapeTensorType.ensureRegistered();
        assertInstanceOf(FixedShapeTensorType.class, ExtensionTypeRegistry.lookup("arrow.fixed_shape_tensor"));
    }

    @Test
    void storageIsAFixedSizeListOfTheShapesProduct() {
        FixedShapeTensorType type = FixedShapeTensorType.of(Shape.of(2, 3, 4));
        assertEquals(new ArrowType.FixedSizeList(24), type.storageType());
        assertEquals("arrow.fixed_shape_tensor", type.extensionName());
        assertEquals("{\"shape\":[2,3,4]}", type.serialize());
    }

    @Test
    void theFieldCarriesTheExtensionNameMetadataAndElementChild() {
        FixedShapeTensorType type = FixedShapeTensorType.of(
                FixedShapeTensorMetadata.of(Shape.of(2, 2)).withDimNames(List.of("r", "c")));
        Field field = type.field("t", DType.FLOAT32);
        assertEquals("arrow.fixed_shape_tensor", field.getMetadata().get(ExtensionType.EXTENSION_METADATA_KEY_NAME));
        assertEquals("{\"shape\":[2,2],\"dim_names\":[\"r\",\"c\"]}",
                field.getMetadata().get(ExtensionType.EXTENSION_METADATA_KEY_METADATA));
        assertEquals(1, field.getChildren().size());
        assertEquals(new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE),
                field.getChildren().get(0).getType());
    }

    @Test
    void typesAreEqualExactlyWhenTheirMetadataIs() {
        FixedShapeTensorType a = FixedShapeTensorType.of(Shape.of(2, 3));
        assertEquals(a, FixedShapeTensorType.of(Shape.of(2, 3)));
        assertEquals(a.hashCode(), FixedShapeTensorType.of(Shape.of(2, 3)).hashCode());
        assertNotEquals(a, FixedShapeTensorType.of(Shape.of(3, 2)));
        assertNotEquals(a, FixedShapeTensorType.of(FixedShapeTensorMetadata.of(Shape.of(2, 3)).withPermutation(1, 0)));
        assertEquals(a, a.deserialize(a.storageType(), a.serialize()));
    }

    @Test
    void rowsAreHostArraysOfTheRowShapeOverTheColumnsMemory() {
        try (FixedShapeTensorVector vector = filled(2, 2, 3)) {
            assertEquals(Shape.of(2, 3), vector.rowShape());
            assertEquals(DType.FLOAT32, vector.dtype());
            assertInstanceOf(FixedShapeTensorType.class, vector.getField().getType());
            Float4Vector elements = (Float4Vector) vector.elements();
            try (HostArray row = vector.row(1, cpu, Access.READ_ONLY)) {
                assertEquals(Shape.of(2, 3), row.shape());
                assertEquals(Sharing.SHARED, row.sharing());
                assertEquals(0, row.bytesCopied());
                assertEquals("[[6.0, 7.0, 8.0], [9.0, 10.0, 11.0]]", row.formatValues());
                assertEquals(elements.getDataBuffer().memoryAddress() + 6 * 4, TestMemory.address(row));
                assertThrows(ReadOnlyException.class, () -> row.setFloat(0f, 0, 0));
                assertTrue(row.asByteBuffer().isReadOnly());
                elements.set(7, 70f);
                assertEquals(70f, row.getFloat(0, 1), "a write to the column is seen through the row");
            }
            try (HostArray writable = vector.row(0, cpu, Access.WRITABLE)) {
                writable.setFloat(-1f, 1, 2);
                assertEquals(-1f, elements.get(5), "a write through a writable row reaches the column");
            }
        }
    }

    @Test
    void aRowOutlivesItsVectorAndReleasesTheMemoryWhenClosed() {
        HostArray row;
        try (FixedShapeTensorVector vector = filled(3, 2)) {
            row = vector.row(2, cpu);
        }
        assertTrue(arrow.allocator().getAllocatedMemory() > 0, "the row still holds the column's data buffer");
        assertArrayEquals(new float[] {4, 5}, row.toFloatArray());
        row.close();
        assertEquals(0, arrow.allocator().getAllocatedMemory());
    }

    @Test
    void onABackendThatCannotWrapARowIsAReportedCopyThatHoldsNoArrowMemory() {
        Backend device = DeviceTensorStandIn.copyingBackend(cpu);
        long liveBefore = TestMemory.liveBytes(cpu);
        HostArray row;
        try (FixedShapeTensorVector vector = filled(2, 2, 3)) {
            row = vector.row(1, device, Access.WRITABLE);
            assertEquals(Sharing.INDEPENDENT, row.sharing());
            assertEquals(6 * 4, row.bytesCopied());
            row.setFloat(-1f, 0, 0);
            assertEquals(6f, ((Float4Vector) vector.elements()).get(6), "writes to the copy stay in the copy");
            ((Float4Vector) vector.elements()).set(7, 70f);
            assertEquals(7f, row.getFloat(0, 1), "the copy does not see later writes to the column");
        }
        assertEquals(0, arrow.allocator().getAllocatedMemory(), "the copy holds no reference to the Arrow buffer");
        assertEquals("[[-1.0, 7.0, 8.0], [9.0, 10.0, 11.0]]", row.formatValues());
        row.close();
        assertEquals(liveBefore, TestMemory.liveBytes(cpu), "the copies were released");
    }

    @Test
    void getObjectIsAnIndependentJavaArrayCopy() {
        try (FixedShapeTensorVector vector = filled(2, 2)) {
            Object copy = vector.getObject(1);
            assertArrayEquals(new float[] {2, 3}, (float[]) copy);
            ((Float4Vector) vector.elements()).set(2, 99f);
            assertArrayEquals(new float[] {2, 3}, (float[]) copy, "the copy does not see later writes");
            assertEquals(0, ((float[]) vector.getObject(0))[0]);
        }
    }

    @Test
    void getObjectGivesTheJavaArrayOfTheDtype() {
        try (FixedShapeTensorVector ints = FixedShapeTensorVector.create("i", FixedShapeTensorType.of(Shape.of(2)),
                DType.INT64, arrow.allocator())) {
            ints.allocateNew();
            BigIntVector elements = (BigIntVector) ints.elements();
            elements.setSafe(0, -5L);
            elements.setSafe(1, 1L << 40);
            elements.setValueCount(2);
            ints.getUnderlyingVector().setNotNull(0);
            ints.setValueCount(1);
            assertArrayEquals(new long[] {-5L, 1L << 40}, (long[]) ints.getObject(0));
        }
        try (FixedShapeTensorVector bytes = FixedShapeTensorVector.create("b", FixedShapeTensorType.of(Shape.of(2)),
                DType.UINT8, arrow.allocator())) {
            bytes.allocateNew();
            UInt1Vector elements = (UInt1Vector) bytes.elements();
            elements.setSafe(0, 200);
            elements.setSafe(1, 7);
            elements.setValueCount(2);
            bytes.getUnderlyingVector().setNotNull(0);
            bytes.setValueCount(1);
            assertArrayEquals(new byte[] {(byte) 200, 7}, (byte[]) bytes.getObject(0), "uint8 as its raw bytes");
            assertEquals("[[200, 7]]", bytes.toString(), "toString shows uint8 unsigned");
        }
        try (FixedShapeTensorVector halves = FixedShapeTensorVector.create("h", FixedShapeTensorType.of(Shape.of(2)),
                DType.FLOAT16, arrow.allocator())) {
            halves.allocateNew();
            Float2Vector elements = (Float2Vector) halves.elements();
            elements.setSafeWithPossibleTruncate(0, 1.5f);
            elements.setSafeWithPossibleTruncate(1, -0.25f);
            elements.setValueCount(2);
            halves.getUnderlyingVector().setNotNull(0);
            halves.setValueCount(1);
            assertArrayEquals(new float[] {1.5f, -0.25f}, (float[]) halves.getObject(0), "float16 widened to float");
        }
    }

    @Test
    void toStringShowsEachRowNestedToTheRowShape() {
        try (FixedShapeTensorVector vector = filled(3, 2, 2)) {
            vector.getUnderlyingVector().setNull(1);
            assertEquals("[[[0.0, 1.0], [2.0, 3.0]], null, [[8.0, 9.0], [10.0, 11.0]]]", vector.toString());
        }
    }

    @Test
    void rowsWithNullsAreRefusedAndReadAsNull() {
        try (FixedShapeTensorVector vector = filled(3, 2)) {
            vector.getUnderlyingVector().setNull(0);
            ((Float4Vector) vector.elements()).setNull(3);
            assertThrows(NullElementsException.class, () -> vector.row(0, cpu));
            NullElementsException e = assertThrows(NullElementsException.class, () -> vector.row(1, cpu, Access.READ_ONLY));
            assertTrue(e.getMessage().contains("row 1"), e.getMessage());
            assertNull(vector.getObject(0));
            assertNull(vector.getObject(1));
            try (HostArray valid = vector.row(2, cpu)) {
                assertArrayEquals(new float[] {4, 5}, valid.toFloatArray());
            }
        }
    }

    @Test
    void aRowOutsideTheColumnIsRefused() {
        try (FixedShapeTensorVector vector = filled(2, 2)) {
            assertThrows(IndexOutOfBoundsException.class, () -> vector.row(2, cpu));
            assertThrows(IndexOutOfBoundsException.class, () -> vector.getObject(-1));
        }
    }

    /** A column of {@code rows} rows of {@code rowShape}, elements 0, 1, 2, ... filled the ordinary Arrow way. */
    private FixedShapeTensorVector filled(int rows, long... rowShape) {
        FixedShapeTensorVector vector = FixedShapeTensorVector.create("t", FixedShapeTensorType.of(Shape.of(rowShape)),
                DType.FLOAT32, arrow.allocator());
        int size = (int) Shape.of(rowShape).elementCount();
        vector.allocateNew();
        Float4Vector elements = (Float4Vector) vector.elements();
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
