package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.c.ArrowArray;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.ArrowSchema;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;

/**
 * The Arrow C Data Interface with a real native partner: DuckDB's JDBC driver, in process. Tensors
 * exported as an {@code ArrowArrayStream} are queried in SQL and the values DuckDB computes are checked;
 * DuckDB query results with {@code FLOAT[n]} columns come back as tensors over DuckDB's memory (address
 * checks); where DuckDB's layout is not a tensor's the import says so. Every allocator closes clean
 * ({@link ArrowAllocatorExtension}) and the CPU backend's memory is back where it was.
 */
class DuckDbInteropTest {
    /** The query run on the exported tensors; its values are checked against Java's. */
    static final String QUERY = "SELECT id, list_sum(embedding::FLOAT[]) AS total, "
            + "array_cosine_similarity(embedding, [1, 0, 0, 0, 0, 1]::FLOAT[6]) AS cosine FROM embeddings ORDER BY id";

    @RegisterExtension
    final ArrowAllocatorExtension arrow = new ArrowAllocatorExtension();

    private final Backend cpu = TestMemory.cpu();
    private long liveBefore;

    @BeforeEach
    void recordBackendMemory() {
        liveBefore = TestMemory.liveBytes(cpu);
    }

    @Test
    void aTensorCrossesTheCDataInterfaceAndBackWithoutACopy() {
        BufferAllocator allocator = arrow.allocator();
        Tensor tensor = cpu.constant(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        long address = TestMemory.address(tensor);
        try (ArrowArray array = ArrowArray.allocateNew(allocator); ArrowSchema schema = ArrowSchema.allocateNew(allocator)) {
            assertEquals(Sharing.SHARED, ArrowCData.exportTensor(tensor, "t", ExportOptions.defaults(), allocator, array,
                    schema));
            tensor.close(); // the C array holds the memory now
            try (Tensor back = ArrowCData.importTensor(array, schema, allocator, cpu, CopyPolicy.NEVER);
                    HostArray host = back.toHost()) {
                assertEquals(address, TestMemory.address(back), "exported and imported without a copy");
                assertEquals(Shape.of(2, 3), back.shape());
                assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, host.toFloatArray());
            }
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    /**
     * A slice (a non-zero offset in the array or a child) is refused: Arrow Java's C Data import drops the offset
     * and would read the first rows instead. The refused array is released, so nothing leaks.
     */
    @Test
    void aSlicedArrayIsRefusedInsteadOfReadFromItsFirstRow() {
        BufferAllocator allocator = arrow.allocator();
        for (boolean slicedChild : new boolean[] {false, true}) {
            try (Tensor tensor = cpu.constant(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 4, 2);
                    ArrowArray array = ArrowArray.allocateNew(allocator);
                    ArrowSchema schema = ArrowSchema.allocateNew(allocator)) {
                ArrowCData.exportTensor(tensor, "t", ExportOptions.defaults(), allocator, array, schema);
                ArrowArray.Snapshot rows = array.snapshot();
                ArrowArray target = slicedChild ? ArrowArray.wrap(MemoryUtil.getLong(rows.children)) : array;
                ArrowArray.Snapshot sliced = target.snapshot();
                // Rows 2 and 3, as a producer's slice would describe them.
                sliced.offset = slicedChild ? 4 : 2;
                sliced.length = slicedChild ? 4 : 2;
                target.save(sliced);

                ArrowLayoutException refused = assertThrows(ArrowLayoutException.class,
                        () -> ArrowCData.importTensor(array, schema, allocator, cpu, CopyPolicy.IF_NEEDED));
                assertTrue(refused.getMessage().contains(slicedChild ? "the array's child 0 has offset 4"
                        : "the array has offset 2"), refused.getMessage());
                assertEquals(0, array.snapshot().release, "the refused array was not released");
                ArrowLayoutException again = assertThrows(ArrowLayoutException.class,
                        () -> ArrowCData.importTensor(array, schema, allocator, cpu, CopyPolicy.IF_NEEDED));
                assertTrue(again.getMessage().contains("already released or imported"), again.getMessage());
            }
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void duckDbQueriesAStreamOfExportedTensorsInSql() throws SQLException {
        BufferAllocator allocator = arrow.allocator();
        float[][] embeddings = {{1, 0, 0, 0, 0, 1}, {0, 2, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 1}, {3, -1, 0, 2, 0, 3},
            {-1, 0, 0, 0, 0, -1}};
        List<VectorSchemaRoot> batches = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            batches.add(batch(allocator, 0, new float[][] {embeddings[0], embeddings[1], embeddings[2]}));
            batches.add(batch(allocator, 3, new float[][] {embeddings[3], embeddings[4]}));
            ArrowCData.exportStream(batches, allocator, stream);
            connection.unwrap(DuckDBConnection.class).registerArrowStream("embeddings", stream);
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(QUERY)) {
                for (int id = 0; id < embeddings.length; id++) {
                    assertTrue(rows.next());
                    assertEquals(id, rows.getLong("id"));
                    double total = 0;
                    double dot = embeddings[id][0] + embeddings[id][5];
                    double norm = 0;
                    for (float v : embeddings[id]) {
                        total += v;
                        norm += v * v;
                    }
                    assertEquals(total, rows.getDouble("total"), 1e-6, "row " + id);
                    assertEquals(dot / Math.sqrt(norm) / Math.sqrt(2), rows.getDouble("cosine"), 1e-6, "row " + id);
                    System.out.printf("duckdb: id=%d total=%s cosine=%s%n", id, rows.getDouble("total"),
                            rows.getDouble("cosine"));
                }
                assertFalse(rows.next());
            }
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    /** A batch of an id column and an embedding tensor column over a CPU tensor's memory, checked to share it. */
    private VectorSchemaRoot batch(BufferAllocator allocator, long firstId, float[][] rows) {
        float[] flat = new float[rows.length * 6];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, 6 * i, 6);
        }
        BigIntVector ids = new BigIntVector("id", allocator);
        ids.allocateNew(rows.length);
        for (int i = 0; i < rows.length; i++) {
            ids.set(i, firstId + i);
        }
        ids.setValueCount(rows.length);
        try (Tensor tensor = cpu.constant(flat, rows.length, 2, 3)) {
            ExportedTensor embedding = ArrowExport.export(tensor, "embedding", allocator);
            assertEquals(Sharing.SHARED, embedding.sharing());
            assertEquals(TestMemory.address(tensor), embedding.vector().elements().getDataBuffer().memoryAddress());
            return new VectorSchemaRoot(List.<FieldVector>of(ids, embedding.vector()));
        }
    }

    @Test
    void duckDbResultsWithFloatArraysComeBackAsTensorsOverDuckDbsMemory() throws Exception {
        BufferAllocator allocator = arrow.allocator();
        String query = "SELECT [i, i + 0.5, i * 2, -i]::FLOAT[4] AS v FROM range(6) t(i)";
        int seen = 0;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query);
                ArrowReader reader = (ArrowReader) rows.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, 4)) {
            while (reader.loadNextBatch()) {
                FixedSizeListVector column = assertInstanceOf(FixedSizeListVector.class,
                        reader.getVectorSchemaRoot().getVector("v"), "DuckDB exports FLOAT[4] as FixedSizeList(4)");
                try (Tensor tensor = ArrowImport.toTensor(column, Shape.of(2, 2), cpu, CopyPolicy.NEVER);
                        HostArray host = tensor.toHost()) {
                    assertEquals(column.getDataVector().getDataBuffer().memoryAddress(), TestMemory.address(tensor),
                            "the tensor is DuckDB's result memory");
                    for (int r = 0; r < tensor.shape().dim(0); r++, seen++) {
                        assertArrayEquals(new float[] {seen, seen + 0.5f, seen * 2f, -seen},
                                new float[] {host.getFloat(r, 0, 0), host.getFloat(r, 0, 1), host.getFloat(r, 1, 0),
                                    host.getFloat(r, 1, 1)});
                    }
                }
            }
        }
        assertEquals(6, seen);
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void whereDuckDbsLayoutIsNoTensorTheImportSaysWhatToDo() throws Exception {
        BufferAllocator allocator = arrow.allocator();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT [i, i + 1]::FLOAT[] AS v FROM range(3) t(i)");
                    ArrowReader reader = (ArrowReader) rows.unwrap(DuckDBResultSet.class).arrowExportStream(allocator,
                            16)) {
                assertTrue(reader.loadNextBatch());
                FieldVector lists = reader.getVectorSchemaRoot().getVector("v");
                assertTrue(assertThrows(ArrowLayoutException.class, () -> ArrowImport.toTensor(lists, cpu,
                        CopyPolicy.IF_NEEDED)).getMessage().contains("not fixed-width"), "a variable-size list");
            }
            try (ResultSet rows = statement.executeQuery(
                    "SELECT CASE WHEN i = 1 THEN NULL ELSE [i, i]::FLOAT[2] END AS v FROM range(3) t(i)");
                    ArrowReader reader = (ArrowReader) rows.unwrap(DuckDBResultSet.class).arrowExportStream(allocator,
                            16)) {
                assertTrue(reader.loadNextBatch());
                FixedSizeListVector column = (FixedSizeListVector) reader.getVectorSchemaRoot().getVector("v");
                assertThrows(NullElementsException.class, () -> ArrowImport.toTensor(column, Shape.of(2), cpu,
                        CopyPolicy.IF_NEEDED));
            }
        }
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void aStreamOfBatchesOfTwoSchemasIsRefusedAndClosesThem() {
        BufferAllocator allocator = arrow.allocator();
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            List<VectorSchemaRoot> batches = List.of(batch(allocator, 0, new float[][] {{1, 2, 3, 4, 5, 6}}),
                    VectorSchemaRoot.of(new BigIntVector("other", allocator)));
            assertThrows(ArrowLayoutException.class, () -> ArrowCData.exportStream(batches, allocator, stream));
        }
        assertEquals(0, arrow.allocator().getAllocatedMemory(), "the refused batches were closed");
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }
}
