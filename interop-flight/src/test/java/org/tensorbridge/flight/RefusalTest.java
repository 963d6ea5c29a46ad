package org.tensorbridge.flight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.arrow.ArrowExport;
import org.tensorbridge.arrow.ExportOptions;
import org.tensorbridge.arrow.ExportedTensor;
import org.tensorbridge.arrow.SparseBatchSchema;

/**
 * Every refusal of the server, with the Flight status a client sees and a description that names the fix:
 * unauthenticated calls, unknown and malformed names, oversized messages and puts, malformed batches (nulls
 * in a tensor, broken extension metadata, sparse indices outside the shape, a body shorter than its
 * buffers). After each, nothing was published, nothing leaked (the peers' allocators close clean), and the
 * server still serves another client.
 */
class RefusalTest {
    @RegisterExtension
    final FlightPeers peers = new FlightPeers();

    @Test
    void callsWithoutTheTokenAreUnauthenticated() {
        TensorFlightServer server = peers.server(b -> b.bearerToken("s3cret"));
        publishRamp(server);
        FlightCallException none = assertThrows(FlightCallException.class, () -> peers.client(server).list());
        assertEquals(FlightStatusCode.UNAUTHENTICATED, none.status());
        assertEquals("TB-FLIGHT-UNAUTHENTICATED", none.code());
        assertTrue(none.getMessage().contains("authorization: Bearer"), none.getMessage());
        FlightCallException wrong = assertThrows(FlightCallException.class,
                () -> peers.client(server, b -> b.bearerToken("guess")).get("ramp", TestTensors.cpu(),
                        CopyPolicy.NEVER));
        assertEquals(FlightStatusCode.UNAUTHENTICATED, wrong.status());
        peers.awaitLogLine(line -> line.contains("refused UNAUTHENTICATED"));
        stillServes(server, b -> b.bearerToken("s3cret"));
    }

    @Test
    void basicAuthenticationGivesABearerTokenAndAWrongPasswordIsUnauthenticated() {
        TensorFlightServer server = peers.server(b -> b.basicAuth("alice", "pa55"));
        publishRamp(server);
        FlightCallException wrong = assertThrows(FlightCallException.class,
                () -> peers.client(server, b -> b.basicAuth("alice", "nope")));
        assertEquals(FlightStatusCode.UNAUTHENTICATED, wrong.status());
        assertTrue(wrong.getMessage().contains("authenticate_basic_token"), wrong.getMessage());
        stillServes(server, b -> b.basicAuth("alice", "pa55"));
        peers.awaitLogLine(line -> line.contains("DoGet ramp") && line.contains("(alice, "));
    }

    @Test
    void unknownNamesAreNotFound() {
        TensorFlightServer server = peers.server();
        TensorFlightClient client = peers.client(server);
        for (var call : List.<Runnable>of(() -> client.describe("missing"),
                () -> client.get("missing", TestTensors.cpu(), CopyPolicy.NEVER), () -> client.delete("missing"))) {
            FlightCallException refused = assertThrows(FlightCallException.class, call::run);
            assertEquals(FlightStatusCode.NOT_FOUND, refused.status());
            assertTrue(refused.getMessage().contains("ListFlights lists the names"), refused.getMessage());
        }
        FlightClient raw = peers.rawClient(server);
        FlightRuntimeException ticket = assertThrows(FlightRuntimeException.class, () -> drain(raw.getStream(
                new org.apache.arrow.flight.Ticket("missing".getBytes(StandardCharsets.UTF_8)))));
        assertEquals(FlightStatusCode.NOT_FOUND, ticket.status().code());
        stillServes(server, b -> { });
    }

    @Test
    void malformedNamesAreInvalidArguments() {
        TensorFlightServer server = peers.server();
        assertThrows(InvalidTensorNameException.class, () -> peers.client(server).describe("no spaces"),
                "the client checks names before sending them");
        FlightClient raw = peers.rawClient(server);
        for (FlightDescriptor descriptor : List.of(FlightDescriptor.path("no spaces"), FlightDescriptor.path("a", "b"),
                FlightDescriptor.command("SELECT 1".getBytes(StandardCharsets.UTF_8)))) {
            FlightRuntimeException refused = assertThrows(FlightRuntimeException.class, () -> raw.getInfo(descriptor));
            assertEquals(FlightStatusCode.INVALID_ARGUMENT, refused.status().code(), refused::getMessage);
        }
        stillServes(server, b -> { });
    }

    @Test
    void aMessageOverTheLimitIsResourceExhausted() {
        TensorFlightServer server = peers.server(b -> b.maxMessageBytes(64 << 10));
        TensorFlightClient client = peers.client(server, b -> b.putBatchBytes(256 << 10));
        try (Tensor big = TestTensors.ramp(TestTensors.cpu(), 0, 256, 256)) { // 256 KiB in one message
            FlightCallException refused = assertThrows(FlightCallException.class, () -> client.put("big", big));
            // gRPC's RESOURCE_EXHAUSTED, or (a race inside gRPC, seen under load) the server handler's CANCELLED:
            // either way the client names the limit and the fix.
            assertTrue(refused.status() == FlightStatusCode.RESOURCE_EXHAUSTED
                    || refused.status() == FlightStatusCode.CANCELLED, refused::getMessage);
            assertEquals("TB-FLIGHT-" + refused.status().name().replace('_', '-'), refused.code());
            assertTrue(refused.getMessage().contains("--max-message-bytes"), refused.getMessage());
        }
        assertEquals(List.of(), server.names());
        stillServes(server, b -> { });
    }

    @Test
    void aPutOverTheTensorLimitIsResourceExhaustedAndNotPublished() {
        TensorFlightServer server = peers.server(b -> b.maxTensorBytes(100_000));
        TensorFlightClient client = peers.client(server, b -> b.putBatchBytes(32 << 10));
        try (Tensor big = TestTensors.ramp(TestTensors.cpu(), 0, 256, 256)) {
            FlightCallException refused = assertThrows(FlightCallException.class, () -> client.put("big", big));
            if (refused.status() != FlightStatusCode.RESOURCE_EXHAUSTED) { refused.printStackTrace(); }
            assertEquals(FlightStatusCode.RESOURCE_EXHAUSTED, refused.status(), refused::getMessage);
            assertTrue(refused.getMessage().contains("--max-tensor-bytes"), refused.getMessage());
        }
        assertEquals(List.of(), server.names());
        stillServes(server, b -> { });
    }

    @Test
    void aTensorColumnWithNullsIsInvalid() {
        TensorFlightServer server = peers.server();
        BufferAllocator memory = peers.clientMemory();
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 0, 4, 3);
                // Writable: nulls are written into the column, which a read-only export forbids.
                ExportedTensor column = ArrowExport.export(tensor, "t", memory,
                        ExportOptions.defaults().withAccess(Access.WRITABLE));
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(column.vector()))) {
            column.vector().getUnderlyingVector().setNull(2);
            FlightRuntimeException refused = rawPut(server, "nulls", root);
            assertEquals(FlightStatusCode.INVALID_ARGUMENT, refused.status().code());
            assertTrue(refused.getMessage().contains("1 null rows"), refused.getMessage());
        }
        assertEquals(List.of(), server.names());
        stillServes(server, b -> { });
    }

    @Test
    void brokenTensorExtensionMetadataIsInvalid() {
        TensorFlightServer server = peers.server();
        // A fixed_shape_tensor whose shape [2, 3] disagrees with its list size 5.
        Field item = new Field("item", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
                null);
        Field field = new Field("t", new FieldType(false, new ArrowType.FixedSizeList(5), null, Map.of(
                "ARROW:extension:name", "arrow.fixed_shape_tensor", "ARROW:extension:metadata", "{\"shape\":[2,3]}")),
                List.of(item));
        try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(field)), peers.clientMemory())) {
            FixedSizeListVector list = (FixedSizeListVector) root.getVector(0);
            list.allocateNew();
            ((Float4Vector) list.getDataVector()).allocateNew(5);
            list.getDataVector().setValueCount(5);
            list.setNotNull(0);
            root.setRowCount(1);
            FlightRuntimeException refused = rawPut(server, "broken", root);
            assertEquals(FlightStatusCode.INVALID_ARGUMENT, refused.status().code(), refused::getMessage);
            assertTrue(refused.getMessage().contains("shape"), refused.getMessage());
        }
        assertEquals(List.of(), server.names());
        stillServes(server, b -> { });
    }

    @Test
    void sparseIndicesOutsideTheDenseShapeAreInvalid() {
        TensorFlightServer server = peers.server(b -> b.checkBackend(TestTensors.cpu()));
        Schema schema = SparseBatchSchema.schema(DType.FLOAT32, Shape.of(2, 2), false);
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, peers.clientMemory())) {
            FixedSizeListVector indices = (FixedSizeListVector) root.getVector(SparseBatchSchema.INDICES);
            indices.allocateNew();
            BigIntVector coordinates = (BigIntVector) indices.getDataVector();
            coordinates.allocateNew(2);
            coordinates.set(0, 5); // row 5 of a 2 x 2 tensor
            coordinates.set(1, 0);
            coordinates.setValueCount(2);
            indices.setNotNull(0);
            Float4Vector values = (Float4Vector) root.getVector(SparseBatchSchema.VALUES);
            values.allocateNew(1);
            values.set(0, 1f);
            root.setRowCount(1);
            FlightRuntimeException refused = rawPut(server, "sparse", root);
            assertEquals(FlightStatusCode.INVALID_ARGUMENT, refused.status().code(), refused::getMessage);
            assertTrue(refused.getMessage().contains("sparse tensor sparse is malformed"), refused.getMessage());
        }
        assertEquals(List.of(), server.names());
        stillServes(server, b -> { });
    }

    @Test
    void aBatchWhoseBodyIsShorterThanItsBuffersIsInvalid() throws Exception {
        TensorFlightServer server = peers.server();
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 0, 64, 16);
                ExportedTensor column = ArrowExport.export(tensor, "t", peers.clientMemory());
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(column.vector()))) {
            Status status = RawFlightData.putTruncated(server.port(), "truncated", root, 100);
            assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status::toString);
            assertTrue(IncomingMessageChecks.available(), "Flight's messages can be read reflectively");
            assertTrue(status.getDescription().contains("but its body has 100 bytes"), status::toString);
        }
        assertEquals(List.of(), server.names());
        stillServes(server, b -> { });
    }

    /** A put whose schema changes after its first batch is refused whole, never published with rows left out. */
    @Test
    void aPutWhoseSchemaChangesMidwayIsInvalid() throws Exception {
        TensorFlightServer server = peers.server();
        try (Tensor rows8 = TestTensors.ramp(TestTensors.cpu(), 0, 4, 8);
                Tensor rows2x4 = TestTensors.ramp(TestTensors.cpu(), 100, 3, 2, 4);
                ExportedTensor first = ArrowExport.export(rows8, "x", peers.clientMemory());
                ExportedTensor second = ArrowExport.export(rows2x4, "x", peers.clientMemory());
                VectorSchemaRoot a = new VectorSchemaRoot(List.<FieldVector>of(first.vector()));
                VectorSchemaRoot b = new VectorSchemaRoot(List.<FieldVector>of(second.vector()));
                RawFlightData connection = new RawFlightData(server.port())) {
            java.util.concurrent.CompletableFuture<Status> ended = new java.util.concurrent.CompletableFuture<>();
            var put = connection.startPut("x", a, ended);
            RawFlightData.sendBatch(put, a);
            RawFlightData.sendSchema(put, b);
            RawFlightData.sendBatch(put, b);
            put.onCompleted();
            Status status = ended.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status::toString);
            assertTrue(status.getDescription().contains("is a second schema: the stream's schema changed midway"),
                    status::toString);
        }
        assertEquals(List.of(), server.names(), "nothing was published");
        stillServes(server, b -> { });
    }

    @Test
    void aMalformedBatchSizeHeaderIsInvalid() {
        TensorFlightServer server = peers.server();
        publishRamp(server);
        org.apache.arrow.flight.FlightCallHeaders headers = new org.apache.arrow.flight.FlightCallHeaders();
        headers.insert("x-tensorbridge-batch-bytes", "lots");
        FlightRuntimeException refused = assertThrows(FlightRuntimeException.class, () -> drain(peers.rawClient(server)
                .getStream(new org.apache.arrow.flight.Ticket("ramp".getBytes(StandardCharsets.UTF_8)),
                        new org.apache.arrow.flight.HeaderCallOption(headers))));
        assertEquals(FlightStatusCode.INVALID_ARGUMENT, refused.status().code());
        assertTrue(refused.getMessage().contains("positive number of bytes"), refused.getMessage());
    }

    private static void publishRamp(TensorFlightServer server) {
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 0, 8, 8)) {
            server.publish("ramp", tensor);
        }
    }

    /** Another client (with {@code credentials}) still lists, puts and gets. */
    private void stillServes(TensorFlightServer server, java.util.function.Consumer<TensorFlightClient.Builder>
            credentials) {
        TensorFlightClient other = peers.client(server, credentials);
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 9, 8, 8)) {
            other.put("ramp", tensor);
        }
        assertFalse(other.list().isEmpty());
        try (FetchedTensor fetched = other.get("ramp", TestTensors.cpu(), CopyPolicy.NEVER)) {
            assertArrayEquals(TestTensors.ramp(9, 64), TestTensors.values(fetched.tensor()));
        }
    }

    /** Puts {@code root} with a plain Flight client and returns the server's refusal. */
    private FlightRuntimeException rawPut(TensorFlightServer server, String name, VectorSchemaRoot root) {
        FlightClient raw = peers.rawClient(server);
        return assertThrows(FlightRuntimeException.class, () -> {
            FlightClient.ClientStreamListener put = raw.startPut(FlightDescriptor.path(name), root,
                    new AsyncPutListener());
            put.putNext();
            put.completed();
            put.getResult();
        });
    }

    private static void drain(org.apache.arrow.flight.FlightStream stream) throws Exception {
        try (stream) {
            while (stream.next()) {
                // read to the end
            }
        }
    }
}
