package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * Nulls found a word at a time ({@link ValidityBits}) where the bitmap is not the shared one of set bits:
 * the count agrees with Arrow's {@code isNull} at every bit position and range, a null anywhere in a column
 * or a row is refused, and a producer whose IPC field node understates its nulls is refused, not believed.
 */
class ValidityScanTest {
    @RegisterExtension
    final ArrowAllocatorExtension arrow = new ArrowAllocatorExtension();

    private final Backend cpu = TestMemory.cpu();

    @Test
    void theWordCountAgreesWithIsNullForEveryRangeOfRandomBitmaps() {
        Random random = new Random(20);
        for (int trial = 0; trial < 200; trial++) {
            int count = 1 + random.nextInt(300);
            try (Float4Vector vector = new Float4Vector("v", arrow.allocator())) {
                vector.allocateNew(count);
                // Dense runs and sparse ones: words of all ones, all zeros and mixed.
                double validShare = random.nextInt(3) == 0 ? 0.98 : random.nextDouble();
                for (int i = 0; i < count; i++) {
                    if (random.nextDouble() < validShare) {
                        vector.set(i, i);
                    } else {
                        vector.setNull(i);
                    }
                }
                vector.setValueCount(count);
                assertEquals(vector.getNullCount(), ValidityBits.nullCount(vector, "v"), "whole vector, trial " + trial);
                assertEquals(firstNullByIsNull(vector), ValidityBits.firstNull(vector), "first null, trial " + trial);
                ArrowBuf bits = vector.getValidityBuffer();
                for (int range = 0; range < 20; range++) {
                    int from = random.nextInt(count + 1);
                    int to = from + random.nextInt(count - from + 1);
                    long expected = 0;
                    for (int i = from; i < to; i++) {
                        expected += vector.isNull(i) ? 1 : 0;
                    }
                    assertEquals(expected, ValidityBits.nulls(bits, from, to, "v"), "bits " + from + " to " + to);
                }
            }
        }
    }

    @Test
    void aBitmapShorterThanItsValuesIsRefusedNotReadPastItsEnd() {
        try (Float4Vector vector = new Float4Vector("short", arrow.allocator())) {
            vector.allocateNew(8);
            ArrowBuf bits = vector.getValidityBuffer();
            ArrowLayoutException refused = assertThrows(ArrowLayoutException.class,
                    () -> ValidityBits.nulls(bits, 0, bits.capacity() * 8 + 1, "short"));
            assertTrue(refused.getMessage().contains("validity bitmap of " + bits.capacity() + " bytes"),
                    refused.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 8, 63, 64, 65, 127, 128, 199})
    void aNullAtAnyPositionOfAPlainColumnIsRefusedAndNamed(int position) {
        try (Float4Vector vector = new Float4Vector("plain", arrow.allocator())) {
            vector.allocateNew(200);
            for (int i = 0; i < 200; i++) {
                vector.set(i, i);
            }
            vector.setNull(position);
            vector.setValueCount(200);
            NullElementsException refused = assertThrows(NullElementsException.class,
                    () -> ArrowImport.toTensor(vector, cpu, CopyPolicy.NEVER));
            assertTrue(refused.getMessage().contains("has 1 null elements (the first is element " + position + ")"),
                    refused.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 6, 9, 11})
    void aNullElementAnywhereInARowRefusesThatRowOnly(int element) {
        // Rows of 6 elements: rows start at bits 0, 6, 12, ..., so most rows straddle a byte boundary.
        try (FixedShapeTensorVector vector = floats(4, 6)) {
            int row = element / 6;
            ((Float4Vector) vector.elements()).setNull(element);
            NullElementsException refused = assertThrows(NullElementsException.class, () -> vector.row(row, cpu));
            assertTrue(refused.getMessage().contains("row " + row + " of column t holds 1 null elements"),
                    refused.getMessage());
            for (int other = 0; other < 4; other++) {
                if (other != row) {
                    try (HostArray host = vector.row(other, cpu)) {
                        assertEquals(other * 6f, host.getFloat(0));
                    }
                }
            }
            assertThrows(NullElementsException.class, () -> ArrowImport.toTensor(vector, cpu, CopyPolicy.NEVER));
        }
    }

    @Test
    void anElementNullThatTheFieldNodeDeniesIsStillRefused() throws Exception {
        byte[] stream = lyingStream(vector -> ((Float4Vector) vector.elements()).setNull(5));
        try (ArrowStreamReader reader = TensorIpc.openStream(new ByteArrayInputStream(stream), arrow.allocator())) {
            assertTrue(reader.loadNextBatch(), "the batch loads: Arrow keeps the bitmap the producer sent");
            FixedShapeTensorVector vector = (FixedShapeTensorVector) reader.getVectorSchemaRoot().getVector(0);
            assertTrue(vector.elements().isNull(5), "Arrow Java reads the bitmap, not the node's count");
            NullElementsException refused = assertThrows(NullElementsException.class,
                    () -> ArrowImport.toTensor(vector, cpu, CopyPolicy.NEVER));
            assertTrue(refused.getMessage().contains("the first is element 5"), refused.getMessage());
            assertThrows(NullElementsException.class, () -> vector.row(1, cpu));
            try (HostArray row = vector.row(0, cpu)) {
                assertArrayEquals(new float[] {0, 1, 2, 3}, row.toFloatArray(), "the honest row is fine");
            }
        }
    }

    @Test
    void aRowNullThatTheFieldNodeDeniesIsStillRefused() throws Exception {
        byte[] stream = lyingStream(vector -> vector.getUnderlyingVector().setNull(2));
        try (ArrowStreamReader reader = TensorIpc.openStream(new ByteArrayInputStream(stream), arrow.allocator())) {
            assertTrue(reader.loadNextBatch());
            FixedShapeTensorVector vector = (FixedShapeTensorVector) reader.getVectorSchemaRoot().getVector(0);
            NullElementsException refused = assertThrows(NullElementsException.class,
                    () -> ArrowImport.toTensor(vector, cpu, CopyPolicy.NEVER));
            assertTrue(refused.getMessage().contains("1 null rows (the first is row 2)"), refused.getMessage());
        }
    }

    @Test
    void anHonestStreamWithoutNullsImportsWithItsOwnBitmaps() throws Exception {
        byte[] stream = lyingStream(vector -> { });
        try (ArrowStreamReader reader = TensorIpc.openStream(new ByteArrayInputStream(stream), arrow.allocator())) {
            assertTrue(reader.loadNextBatch());
            FixedShapeTensorVector vector = (FixedShapeTensorVector) reader.getVectorSchemaRoot().getVector(0);
            assertFalse(AllValidBitmaps.holds(vector.elements().getValidityBuffer()), "a reader's bitmap is scanned");
            try (Tensor tensor = ArrowImport.toTensor(vector, cpu, CopyPolicy.NEVER); HostArray host = tensor.toHost()) {
                assertEquals(Shape.of(3, 4), host.shape());
                assertEquals(11f, host.getFloat(2, 3));
            }
        }
    }

    /**
     * A stream of one batch of a float32[4] tensor column of 3 rows, values 0 to 11, where {@code nulls}
     * may set nulls; every field node says 0 nulls, whatever the bitmaps hold.
     */
    private byte[] lyingStream(java.util.function.Consumer<FixedShapeTensorVector> nulls) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FixedShapeTensorVector vector = floats(3, 4)) {
            nulls.accept(vector);
            VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(vector));
            try (ArrowRecordBatch honest = new VectorUnloader(root).getRecordBatch()) {
                List<ArrowFieldNode> denying = new ArrayList<>();
                honest.getNodes().forEach(node -> denying.add(new ArrowFieldNode(node.getLength(), 0)));
                try (ArrowRecordBatch lying = new ArrowRecordBatch(honest.getLength(), denying, honest.getBuffers())) {
                    WriteChannel channel = new WriteChannel(Channels.newChannel(out));
                    MessageSerializer.serialize(channel, root.getSchema());
                    MessageSerializer.serialize(channel, lying);
                    ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
                }
            }
        }
        return out.toByteArray();
    }

    /** A column of {@code rows} rows of float32[size], values 0, 1, 2, ... with no nulls, built by Arrow. */
    private FixedShapeTensorVector floats(int rows, int size) {
        FixedShapeTensorVector vector = FixedShapeTensorVector.create("t", FixedShapeTensorType.of(Shape.of(size)),
                DType.FLOAT32, arrow.allocator());
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

    private static long firstNullByIsNull(FieldVector vector) {
        for (int i = 0; i < vector.getValueCount(); i++) {
            if (vector.isNull(i)) {
                return i;
            }
        }
        return -1;
    }
}
