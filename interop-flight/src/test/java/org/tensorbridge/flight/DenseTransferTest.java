package org.tensorbridge.flight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;

/**
 * Dense tensors through the server and the client: the client's {@code get} is the received memory on the
 * CPU backend (observed through the allocator that counts it, not taken from the report), a reported copy
 * otherwise; the server shares a published tensor's memory; puts arrive whole, in one batch or several;
 * {@code DoGet} batches stay within the bound.
 */
class DenseTransferTest {
    @RegisterExtension
    final FlightPeers peers = new FlightPeers();

    @Test
    void getOnTheCpuBackendIsTheReceivedMemoryAndNeverWorks() {
        TensorFlightServer server = peers.server();
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 1, 64, 8, 4)) {
            server.publish("ramp", tensor);
        }
        TensorFlightClient client = peers.client(server);
        long bytes = 64 * 8 * 4 * 4;
        try (FetchedTensor fetched = client.get("ramp", TestTensors.cpu(), CopyPolicy.NEVER)) {
            assertEquals(Sharing.SHARED, fetched.sharing());
            assertEquals(0, fetched.bytesCopied());
            assertEquals(Shape.of(64, 8, 4), fetched.tensor().shape());
            assertArrayEquals(TestTensors.ramp(1, 64 * 8 * 4), TestTensors.values(fetched.tensor()));
            // The stream and its batches are closed: only the tensor holds the received buffer now.
            assertTrue(peers.clientMemory().getAllocatedMemory() >= bytes, () -> "the tensor holds no Arrow memory: "
                    + peers.clientMemory().toVerboseString());
            client.close();
            assertArrayEquals(TestTensors.ramp(1, 64 * 8 * 4), TestTensors.values(fetched.tensor()),
                    "the tensor outlives the client that received it");
        }
        assertEquals(0, peers.clientMemory().getAllocatedMemory(), "closing the tensor gives the buffer back");
    }

    @Test
    void getUnderAlwaysIsAnIndependentCopyHoldingNoArrowMemory() {
        TensorFlightServer server = peers.server();
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 0, 16, 3)) {
            server.publish("small", tensor);
        }
        try (FetchedTensor fetched = peers.client(server).get("small", TestTensors.cpu(), CopyPolicy.ALWAYS)) {
            assertEquals(Sharing.INDEPENDENT, fetched.sharing());
            assertEquals(16 * 3 * 4, fetched.bytesCopied());
            assertEquals(0, peers.clientMemory().getAllocatedMemory(), "a copy holds no received buffer");
            assertArrayEquals(TestTensors.ramp(0, 48), TestTensors.values(fetched.tensor()));
        }
    }

    @Test
    void getOnTheGpuBackendIsAReportedCopyAndNeverIsRefused() {
        var gpu = GpuBackend.orSkip();
        TensorFlightServer server = peers.server();
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 2, 32, 4)) {
            server.publish("to-gpu", tensor);
        }
        TensorFlightClient client = peers.client(server);
        try (FetchedTensor fetched = client.get("to-gpu", gpu, CopyPolicy.IF_NEEDED)) {
            assertEquals(Sharing.INDEPENDENT, fetched.sharing());
            assertEquals(32 * 4 * 4, fetched.bytesCopied());
            assertEquals(gpu.device(), fetched.tensor().device());
            assertArrayEquals(TestTensors.ramp(2, 128), TestTensors.values(fetched.tensor()));
        }
        CopyRequiredException never = assertThrows(CopyRequiredException.class,
                () -> client.get("to-gpu", gpu, CopyPolicy.NEVER));
        assertTrue(never.getMessage().contains("IF_NEEDED"), never.getMessage());
    }

    @Test
    void aPublishedTensorIsSharedSoWritesToItAreServed() {
        TensorFlightServer server = peers.server();
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 0, 4, 2)) {
            server.publish("live", tensor);
            assertTrue(server.allocatedBytes() >= 32, "the server's allocator counts the lent memory");
            try (HostArray writable = tensor.toHost(CopyPolicy.NEVER, Access.WRITABLE)) {
                writable.asByteBuffer().putFloat(0, 42f);
            }
        }
        try (FetchedTensor fetched = peers.client(server).get("live", TestTensors.cpu(), CopyPolicy.NEVER)) {
            assertEquals(42f, TestTensors.values(fetched.tensor())[0], "the server sends the tensor's own memory");
        }
    }

    @Test
    void putThenGetGivesTheSameTensorAndTheDescription() {
        TensorFlightServer server = peers.server();
        TensorFlightClient client = peers.client(server);
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 3, 10, 2, 3)) {
            client.put("sent", tensor);
        }
        FlightTensorInfo info = client.describe("sent");
        assertEquals(TensorKind.DENSE, info.kind());
        assertEquals(DType.FLOAT32, info.dtype().orElseThrow());
        assertEquals(Shape.of(10, 2, 3), info.shape().orElseThrow());
        assertEquals(240, info.bytes());
        assertEquals(10, info.rows());
        assertEquals(List.of("sent"), server.names());
        try (FetchedTensor fetched = client.get("sent", TestTensors.cpu(), CopyPolicy.NEVER)) {
            assertArrayEquals(TestTensors.ramp(3, 60), TestTensors.values(fetched.tensor()));
        }
    }

    @Test
    void aPutInSeveralBatchesIsJoinedSoGetStillShares() {
        TensorFlightServer server = peers.server();
        TensorFlightClient client = peers.client(server, b -> b.putBatchBytes(1000));
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 0, 100, 16)) {
            client.put("joined", tensor);
        }
        peers.awaitLogLine(line -> line.contains("DoPut joined"));
        try (FetchedTensor fetched = client.get("joined", TestTensors.cpu(), CopyPolicy.NEVER)) {
            assertEquals(Sharing.SHARED, fetched.sharing());
            assertArrayEquals(TestTensors.ramp(0, 1600), TestTensors.values(fetched.tensor()));
        }
    }

    @Test
    void doGetBatchesStayWithinTheBoundAndGetJoinsThemOnlyWhenAllowed() throws Exception {
        TensorFlightServer server = peers.server(b -> b.batchBytes(4096).maxMessageBytes(8192));
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 0, 100, 64)) { // 256 bytes a row
            server.publish("batched", tensor);
        }
        FlightClient raw = peers.rawClient(server);
        int batches = 0;
        int rows = 0;
        try (FlightStream stream = raw.getStream(new Ticket("batched".getBytes(StandardCharsets.UTF_8)))) {
            VectorSchemaRoot root = stream.getRoot();
            while (stream.next()) {
                batches++;
                rows += root.getRowCount();
                assertTrue(root.getRowCount() * 256 <= 4096, "a batch of " + root.getRowCount() + " rows");
            }
        }
        assertEquals(100, rows);
        assertEquals(7, batches, "16 rows of 256 bytes a batch");
        TensorFlightClient client = peers.client(server);
        // The client asks for one batch; the server caps it at its message limit, 8192 bytes: 4 batches.
        CopyRequiredException never = assertThrows(CopyRequiredException.class,
                () -> client.get("batched", TestTensors.cpu(), CopyPolicy.NEVER));
        assertTrue(never.getMessage().contains("4 batches"), never.getMessage());
        try (FetchedTensor fetched = client.get("batched", TestTensors.cpu(), CopyPolicy.IF_NEEDED)) {
            assertEquals(Sharing.INDEPENDENT, fetched.sharing());
            assertEquals(100 * 256, fetched.bytesCopied());
            assertArrayEquals(TestTensors.ramp(0, 6400), TestTensors.values(fetched.tensor()));
        }
    }

    @Test
    void aRankOneTensorTravelsAsScalarRows() {
        TensorFlightServer server = peers.server();
        TensorFlightClient client = peers.client(server);
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 5, 7)) {
            client.put("vector", tensor);
        }
        try (FetchedTensor fetched = client.get("vector", TestTensors.cpu(), CopyPolicy.NEVER)) {
            assertEquals(Shape.of(7), fetched.tensor().shape());
            assertArrayEquals(TestTensors.ramp(5, 7), TestTensors.values(fetched.tensor()));
        }
    }
}
