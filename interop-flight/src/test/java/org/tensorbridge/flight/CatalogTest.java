package org.tensorbridge.flight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.arrow.ArrowExport;
import org.tensorbridge.arrow.ArrowImport;
import org.tensorbridge.arrow.ArrowLayoutException;
import org.tensorbridge.arrow.ExportedTensor;
import org.tensorbridge.arrow.FixedShapeTensorVector;

/**
 * What a server publishes besides dense tensors, and how it is described: sparse tensors in interop-arrow's
 * COO layout, tables with tensor columns, the descriptions of {@code ListFlights}, replacing and deleting.
 */
class CatalogTest {
    @RegisterExtension
    final FlightPeers peers = new FlightPeers();

    @Test
    void sparseTensorsGoBothWaysInTheCooLayout() {
        TensorFlightServer server = peers.server();
        TensorFlightClient client = peers.client(server);
        try (SparseTensor sparse = TestTensors.cpu().sparseCoo(new long[][] {{0, 1}, {2, 3}, {4, 0}},
                new float[] {1.5f, -2f, 3f}, 5, 4)) {
            server.publish("published-sparse", sparse);
            client.put("sent-sparse", sparse);
        }
        for (String name : List.of("published-sparse", "sent-sparse")) {
            FlightTensorInfo info = client.describe(name);
            assertEquals(TensorKind.SPARSE, info.kind());
            assertEquals(Shape.of(5, 4), info.shape().orElseThrow());
            assertEquals(DType.FLOAT32, info.dtype().orElseThrow());
            assertEquals(3, info.rows());
            assertEquals(3 * 2 * 8 + 3 * 4, info.bytes());
            try (SparseTensor received = client.getSparse(name, TestTensors.cpu(), CopyPolicy.NEVER);
                    SparseValue value = received.toSparseValue(CopyPolicy.NEVER, Access.READ_ONLY)) {
                assertArrayEquals(new long[] {0, 1, 2, 3, 4, 0}, value.indices().toLongArray());
                assertArrayEquals(new float[] {1.5f, -2f, 3f}, value.values().toFloatArray());
                assertEquals(Shape.of(5, 4), value.denseShape());
            }
        }
    }

    @Test
    void aTableWithATensorColumnTravelsWithItsOtherColumns() {
        TensorFlightServer server = peers.server();
        TensorFlightClient client = peers.client(server);
        publishAndPutTable(server, client, peers.clientMemory()); // another root allocator: published as a copy
        checkTables(client);
    }

    @Test
    void aTableOfTheServersRootAllocatorIsPublishedWithoutACopy() {
        TensorFlightServer server = peers.server();
        TensorFlightClient client = peers.client(server);
        try (BufferAllocator memory = peers.serverMemory().newChildAllocator("table", 0, Long.MAX_VALUE)) {
            publishAndPutTable(server, client, memory);
            assertTrue(memory.getAllocatedMemory() > 0, "the published table still holds the table's buffers");
            server.delete("published-table");
            assertEquals(0, memory.getAllocatedMemory(), "deleting gives them back");
        }
    }

    private static void publishAndPutTable(TensorFlightServer server, TensorFlightClient client,
            BufferAllocator memory) {
        try (Tensor embeddings = TestTensors.ramp(TestTensors.cpu(), 0, 3, 4);
                ExportedTensor column = ArrowExport.export(embeddings, "embedding", memory);
                BigIntVector ids = new BigIntVector("id", memory);
                VarCharVector labels = new VarCharVector("label", memory)) {
            ids.allocateNew(3);
            labels.allocateNew(3);
            for (int i = 0; i < 3; i++) {
                ids.set(i, 100 + i);
                labels.setSafe(i, ("row " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            ids.setValueCount(3);
            labels.setValueCount(3);
            try (VectorSchemaRoot table = new VectorSchemaRoot(List.<FieldVector>of(ids, column.vector(), labels))) {
                server.publishTable("published-table", table);
                client.putTable("sent-table", table);
            }
        }
    }

    private static void checkTables(TensorFlightClient client) {
        for (String name : List.of("published-table", "sent-table")) {
            assertEquals(TensorKind.TABLE, client.describe(name).kind());
            assertEquals(3, client.describe(name).rows());
            ArrowLayoutException notDense = assertThrows(ArrowLayoutException.class,
                    () -> client.get(name, TestTensors.cpu(), CopyPolicy.NEVER));
            assertTrue(notDense.getMessage().contains("getTable"), notDense.getMessage());
            List<VectorSchemaRoot> batches = client.getTable(name);
            try {
                assertEquals(1, batches.size());
                VectorSchemaRoot root = batches.get(0);
                assertEquals(102, ((BigIntVector) root.getVector("id")).get(2));
                assertEquals("row 1", root.getVector("label").getObject(1).toString());
                try (Tensor tensor = ArrowImport.toTensor((FixedShapeTensorVector) root.getVector("embedding"),
                        TestTensors.cpu(), CopyPolicy.NEVER)) {
                    assertArrayEquals(TestTensors.ramp(0, 12), TestTensors.values(tensor));
                }
            } finally {
                batches.forEach(VectorSchemaRoot::close);
            }
        }
    }

    @Test
    void listFlightsDescribesEveryNameInItsSchemaMetadata() {
        TensorFlightServer server = peers.server();
        try (Tensor images = TestTensors.ramp(TestTensors.cpu(), 0, 2, 3, 5)) {
            server.publish("images", images, List.of("batch", "height", "width"));
        }
        try (SparseTensor sparse = TestTensors.cpu().sparseCoo(new long[][] {{1, 1}}, new float[] {1}, 2, 2)) {
            server.publish("run-1/sparse", sparse);
        }
        List<FlightTensorInfo> listed = peers.client(server).list();
        assertEquals(List.of("images", "run-1/sparse"), listed.stream().map(FlightTensorInfo::name)
                .collect(Collectors.toList()));
        FlightTensorInfo images = listed.get(0);
        assertEquals(List.of("batch", "height", "width"), images.dimNames());
        assertEquals(Shape.of(2, 3, 5), images.shape().orElseThrow());
        assertEquals(120, images.bytes());
        var metadata = images.schema().getCustomMetadata();
        assertEquals("dense", metadata.get(FlightTensorInfo.KIND_KEY));
        assertEquals("float32", metadata.get(FlightTensorInfo.DTYPE_KEY));
        assertEquals("[2,3,5]", metadata.get(FlightTensorInfo.SHAPE_KEY));
        assertEquals("[\"batch\",\"height\",\"width\"]", metadata.get(FlightTensorInfo.DIM_NAMES_KEY));
        assertEquals("120", metadata.get(FlightTensorInfo.BYTES_KEY));
        assertEquals(TensorKind.SPARSE, listed.get(1).kind());
    }

    @Test
    void aPutReplacesTheNameAndDeleteRemovesIt() {
        TensorFlightServer server = peers.server();
        TensorFlightClient client = peers.client(server);
        try (Tensor first = TestTensors.ramp(TestTensors.cpu(), 0, 4);
                Tensor second = TestTensors.ramp(TestTensors.cpu(), 100, 6)) {
            client.put("x", first);
            client.put("x", second);
        }
        try (FetchedTensor fetched = client.get("x", TestTensors.cpu(), CopyPolicy.NEVER)) {
            assertArrayEquals(TestTensors.ramp(100, 6), TestTensors.values(fetched.tensor()));
        }
        client.delete("x");
        assertEquals(List.of(), server.names());
        FlightCallException gone = assertThrows(FlightCallException.class, () -> client.delete("x"));
        assertEquals(FlightStatusCode.NOT_FOUND, gone.status());
        assertEquals("TB-FLIGHT-NOT-FOUND", gone.code());
    }

    @Test
    void aTensorBeingStreamedStaysIntactWhenItsNameIsReplacedOrDeleted() throws Exception {
        TensorFlightServer server = peers.server(b -> b.batchBytes(1024));
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 0, 64, 64)) {
            server.publish("moving", tensor);
        }
        var raw = peers.rawClient(server);
        try (var stream = raw.getStream(new org.apache.arrow.flight.Ticket("moving".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)))) {
            assertTrue(stream.next());
            try (Tensor replacement = TestTensors.ramp(TestTensors.cpu(), 7, 2)) {
                server.publish("moving", replacement);
            }
            server.delete("moving");
            float[] received = new float[64 * 64];
            int at = 0;
            do {
                try (Tensor batch = ArrowImport.toTensor((FixedShapeTensorVector) stream.getRoot().getVector(0),
                        TestTensors.cpu(), CopyPolicy.NEVER)) {
                    float[] values = TestTensors.values(batch);
                    System.arraycopy(values, 0, received, at, values.length);
                    at += values.length;
                }
            } while (stream.next());
            assertEquals(64 * 64, at);
            assertArrayEquals(TestTensors.ramp(0, 64 * 64), received, "the stream sends what was published when it began");
        }
    }
}
