package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.c.ArrowArray;
import org.apache.arrow.c.ArrowSchema;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.util.TransferPair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * The validity bitmaps of exported columns ({@link AllValidBitmaps}): read-only columns share one block of
 * set bits, counted by their allocator and never freed while a column uses it; writable columns own
 * theirs; what consumers do with a read-only column leaves the shared bits set; and the import of such a
 * column does not need to read them. Every test closes its allocator with a leak check.
 */
class SharedValidityTest {
    @RegisterExtension
    final ArrowAllocatorExtension arrow = new ArrowAllocatorExtension();

    private final Backend cpu = TestMemory.cpu();
    private long liveBefore;

    @BeforeEach
    void recordBackendMemory() {
        liveBefore = TestMemory.liveBytes(cpu);
    }

    @Test
    void readOnlyColumnsShareOneBlockOfSetBitsAndReadBackAllValid() {
        try (Tensor floats = sequence(DType.FLOAT32, 3, 5, 7);
                Tensor longs = sequence(DType.INT64, 70, 3);
                ExportedTensor first = ArrowExport.export(floats, "f", arrow.allocator());
                ExportedTensor second = ArrowExport.export(longs, "l", arrow.allocator())) {
            for (ExportedTensor column : List.of(first, second)) {
                assertTrue(AllValidBitmaps.holds(rowBits(column)), "the row bitmap is lent");
                assertTrue(AllValidBitmaps.holds(elementBits(column)), "the element bitmap is lent");
                assertAllValid(column.vector());
            }
            assertEquals(elementBits(first).memoryAddress(), elementBits(second).memoryAddress(),
                    "both columns read the same bits");
            assertEquals(elementBits(first).memoryAddress(), rowBits(first).memoryAddress(),
                    "a column's two bitmaps are the same bits");
            try (Tensor back = ArrowImport.toTensor(first.vector(), cpu, CopyPolicy.NEVER);
                    HostArray host = back.toHost(); HostArray expected = floats.toHost()) {
                assertEquals(Shape.of(3, 5, 7), host.shape());
                assertArrayEquals(expected.toFloatArray(), host.toFloatArray());
            }
            assertEquals(0, first.vector().getNullCount(), "Arrow's own count reads the lent bits");
            assertEquals(0, first.vector().elements().getNullCount());
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void writableColumnsOwnTheirBitmapsSoANullSetInOneStaysThere() {
        ExportOptions writable = ExportOptions.defaults().withAccess(Access.WRITABLE);
        try (Tensor a = sequence(DType.FLOAT32, 2, 64);
                Tensor b = sequence(DType.FLOAT32, 2, 64);
                ExportedTensor shared = ArrowExport.export(a, "shared", arrow.allocator());
                ExportedTensor own = ArrowExport.export(b, "own", arrow.allocator(), writable)) {
            assertFalse(AllValidBitmaps.holds(elementBits(own)), "a writable column's bitmap is its own");
            assertFalse(AllValidBitmaps.holds(rowBits(own)));
            assertAllValid(own.vector());
            ((Float4Vector) own.vector().elements()).setNull(70);
            own.vector().getUnderlyingVector().setNull(0);
            assertTrue(own.vector().elements().isNull(70));
            assertAllValid(shared.vector());
            NullElementsException refused = assertThrows(NullElementsException.class,
                    () -> ArrowImport.toTensor(own.vector(), cpu, CopyPolicy.NEVER));
            assertTrue(refused.getMessage().contains("1 null rows (the first is row 0)"), refused.getMessage());
            assertThrows(NullElementsException.class, () -> own.vector().row(1, cpu).close(),
                    "row 1 holds the null element 70");
            assertNull(own.vector().getObject(1));
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void closingOneColumnLeavesTheBitsOfAnotherInPlace() {
        try (Tensor a = sequence(DType.INT32, 4, 4); Tensor b = sequence(DType.INT32, 4, 4)) {
            ExportedTensor first = ArrowExport.export(a, "a", arrow.allocator());
            ExportedTensor second = ArrowExport.export(b, "b", arrow.allocator());
            first.close();
            assertTrue(AllValidBitmaps.holds(elementBits(second)), "the block is still lent to the second column");
            assertAllValid(second.vector());
            long lentBytes = Math.max(rowBits(second).capacity(), elementBits(second).capacity());
            assertEquals(64 + lentBytes, arrow.allocator().getAllocatedMemory(),
                    "the allocator counts the second column's data and lent bitmap, nothing of the first");
            second.close();
            assertEquals(0, arrow.allocator().getAllocatedMemory());
        }
    }

    @Test
    void anOutgrownBlockIsFreedOnlyWhenTheLastColumnOverItCloses() {
        // Each export below has more elements than the current block has bits, so each gets a new block: the
        // early column's block is this test's alone (a column another test leaked may pin an older one).
        Tensor middle = cpu.zeros(DType.INT8, Shape.of(AllValidBitmaps.currentBlockBytes() + 1, 8));
        ExportedTensor early = ArrowExport.export(middle, "early", arrow.allocator());
        ArrowBuf earlyBits = elementBits(early);
        try (Tensor large = cpu.zeros(DType.INT8, Shape.of(AllValidBitmaps.currentBlockBytes() + 1, 8));
                ExportedTensor late = ArrowExport.export(large, "late", arrow.allocator())) {
            assertTrue(AllValidBitmaps.holds(elementBits(late)));
            assertNotEquals(earlyBits.memoryAddress(), elementBits(late).memoryAddress(), "the large column got a new block");
            assertTrue(AllValidBitmaps.holds(earlyBits), "the outgrown block stays while the early column uses it");
            assertAllValid(early.vector());
            early.close();
            middle.close();
            assertFalse(AllValidBitmaps.holds(earlyBits), "the outgrown block is freed with its last column");
            assertAllValid(late.vector());
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void columnsExportedAndClosedOnSeveralThreadsWhileTheBlockGrowsReadAllValid() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (Tensor small = sequence(DType.FLOAT32, 8, 8)) {
            ArrowExport.export(small, "first", arrow.allocator()).close();
            try (Tensor large = cpu.zeros(DType.INT8, Shape.of(AllValidBitmaps.currentBlockBytes() + 1, 8))) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    results.add(threads.submit(() -> {
                        start.await();
                        int checked = 0;
                        for (int i = 0; i < 200; i++) {
                            Tensor tensor = thread == 0 && i == 100 ? large : small;
                            try (ExportedTensor column = ArrowExport.export(tensor, "t", arrow.allocator())) {
                                assertTrue(AllValidBitmaps.holds(elementBits(column)));
                                assertEquals(0, column.vector().elements().getNullCount());
                                assertEquals(0, column.vector().getNullCount());
                                checked++;
                            }
                        }
                        return checked;
                    }));
                }
                start.countDown();
                for (Future<Integer> result : results) {
                    assertEquals(200, result.get(60, TimeUnit.SECONDS));
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(0, arrow.allocator().getAllocatedMemory());
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void aLentBitmapIsCountedByTheAllocatorItWasLentTo() {
        try (Tensor tensor = sequence(DType.FLOAT64, 3, 3);
                BufferAllocator child = arrow.allocator().newChildAllocator("column", 0, Long.MAX_VALUE)) {
            try (ExportedTensor export = ArrowExport.export(tensor, "t", child)) {
                assertEquals(72 + HostArrayBuffers.bitmapBytes(9), child.getAllocatedMemory(),
                        "the data and one lent bitmap of 9 bits are counted");
                assertEquals(0, arrow.allocator().getAllocatedMemory() - child.getAllocatedMemory());
            }
            assertEquals(0, child.getAllocatedMemory(), "closing the column gives both back");
        }
    }

    @Test
    void readingWritingSlicingAndTransferringAReadOnlyColumnLeaveTheSharedBitsSet() throws Exception {
        BufferAllocator allocator = arrow.allocator();
        try (Tensor a = sequence(DType.FLOAT32, 5, 13); Tensor b = sequence(DType.FLOAT32, 5, 13);
                ExportedTensor consumed = ArrowExport.export(a, "consumed", allocator);
                ExportedTensor bystander = ArrowExport.export(b, "bystander", allocator)) {
            FixedShapeTensorVector vector = consumed.vector();
            vector.getObject(4);
            assertTrue(vector.toString().startsWith("[[0.0, 1.0"), vector.toString());
            try (HostArray row = vector.row(2, cpu)) {
                assertEquals(26f, row.getFloat(0));
            }
            ByteArrayOutputStream ipc = new ByteArrayOutputStream();
            // Not closed: closing a root closes its vectors, and this one is the export's.
            VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(vector));
            root.setRowCount(5);
            TensorIpc.writeStream(root, ipc);
            try (ArrowStreamReader reader = TensorIpc.openStream(new ByteArrayInputStream(ipc.toByteArray()), allocator)) {
                assertTrue(reader.loadNextBatch());
                FixedShapeTensorVector read = (FixedShapeTensorVector) reader.getVectorSchemaRoot().getVector(0);
                assertFalse(AllValidBitmaps.holds(read.elements().getValidityBuffer()), "IPC brings bitmaps of its own");
                assertEquals(0, read.getNullCount());
                assertEquals(0, read.elements().getNullCount(), "the bits written to IPC are set");
            }
            try (ArrowArray array = ArrowArray.allocateNew(allocator); ArrowSchema schema = ArrowSchema.allocateNew(allocator)) {
                Data.exportVector(allocator, vector, null, array, schema);
                try (FieldVector imported = Data.importVector(allocator, array, schema, null)) {
                    assertEquals(0, imported.getNullCount());
                    assertEquals(0, ((FixedShapeTensorVector) imported).elements().getNullCount());
                }
            }
            try (FixedSizeListVector copy = (FixedSizeListVector) vector.getUnderlyingVector().getField()
                    .createVector(allocator)) {
                copy.allocateNew();
                for (int i = 0; i < 5; i++) {
                    copy.copyFromSafe(i, i, vector.getUnderlyingVector());
                }
                copy.setValueCount(5);
                assertEquals(0, copy.getDataVector().getNullCount());
            }
            TransferPair split = vector.getUnderlyingVector().getTransferPair(allocator);
            split.splitAndTransfer(1, 3);
            split.getTo().close();
            TransferPair aligned = vector.getUnderlyingVector().getTransferPair(allocator);
            aligned.splitAndTransfer(0, 2);
            aligned.getTo().close();
            assertAllValid(vector);
            assertAllValid(bystander.vector());
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    /** Every row and element valid by Arrow's own {@code isNull}, and every bitmap byte in use all ones. */
    static void assertAllValid(FixedShapeTensorVector vector) {
        FixedSizeListVector lists = vector.getUnderlyingVector();
        for (int row = 0; row < lists.getValueCount(); row++) {
            assertFalse(lists.isNull(row), "row " + row + " is valid");
        }
        FieldVector elements = vector.elements();
        for (int i = 0; i < elements.getValueCount(); i++) {
            assertFalse(elements.isNull(i), "element " + i + " is valid");
        }
        ArrowBuf bits = elements.getValidityBuffer();
        for (int i = 0; i < elements.getValueCount() / 8; i++) {
            assertEquals((byte) 0xff, bits.getByte(i), "byte " + i + " of the element bitmap");
        }
    }

    private static ArrowBuf rowBits(ExportedTensor column) {
        return column.vector().getUnderlyingVector().getValidityBuffer();
    }

    private static ArrowBuf elementBits(ExportedTensor column) {
        return column.vector().elements().getValidityBuffer();
    }

    /** A tensor of {@code dtype} whose elements are 0, 1, 2, ... in row-major order. */
    private Tensor sequence(DType dtype, long... shape) {
        long count = Shape.of(shape).elementCount();
        double[] values = new double[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 100;
        }
        try (Tensor doubles = cpu.constant(values, shape)) {
            return doubles.cast(dtype);
        }
    }
}
