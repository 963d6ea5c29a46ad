package org.tensorbridge.flight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.Tensor;
import org.tensorbridge.arrow.ArrowExport;
import org.tensorbridge.arrow.ExportedTensor;

/**
 * Faults on either side: a client that disconnects in the middle of a {@code DoGet} or a {@code DoPut}, a
 * client that stops reading, a server stopped in the middle of a {@code DoPut}, a put left open while others
 * work. In each case nothing leaks (the peers' allocators close clean after the test, and the server's
 * memory returns to what it publishes), no partly received tensor is ever visible, and the server keeps
 * serving.
 */
class FaultTest {
    private static final int ROWS = 4096;
    private static final int ROW = 1024; // 4 KiB a row, 16 MiB in all

    @RegisterExtension
    final FlightPeers peers = new FlightPeers();

    @Test
    void aClientThatDisconnectsMidStreamLeavesNothingBehind() throws Exception {
        TensorFlightServer server = peers.server(b -> b.batchBytes(64 << 10));
        publishBig(server, "big");
        long published = server.allocatedBytes();
        try (RawFlightData leaving = new RawFlightData(server.port())) {
            leaving.getSome("big", 3); // the schema and two batches of 256
            leaving.disconnect();
        }
        peers.awaitLogLine(line -> line.contains("DoGet big") && line.contains("CANCELLED"));
        await(() -> server.allocatedBytes() == published, "the server holds only what it publishes again");
        stillServes(server);
    }

    @Test
    void aClientThatDisconnectsMidPutPublishesNothing() throws Exception {
        TensorFlightServer server = peers.server();
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 0, 64, 64);
                ExportedTensor column = ArrowExport.export(tensor, "half", peers.clientMemory());
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(column.vector()));
                VectorSchemaRoot out = VectorSchemaRoot.create(root.getSchema(), peers.clientMemory());
                RawFlightData leaving = new RawFlightData(server.port())) {
            var put = leaving.startPut("half", root, new java.util.concurrent.CompletableFuture<>());
            sendRows(root, out, 0, 16);
            RawFlightData.sendBatch(put, out);
            sendRows(root, out, 16, 16);
            RawFlightData.sendBatch(put, out);
            await(() -> server.allocatedBytes() > 0, "the server received the batches");
            leaving.disconnect(); // gone before completing the stream
        }
        peers.awaitLogLine(line -> line.contains("DoPut half"));
        assertEquals(List.of(), server.names(), "a partly received tensor is never published");
        await(() -> server.allocatedBytes() == 0, "the received batches were released");
        stillServes(server);
    }

    @Test
    void aPutLeftOpenIsInvisibleAndBlocksNoOneUntilItCompletes() throws Exception {
        TensorFlightServer server = peers.server();
        publishBig(server, "big");
        FlightClient slow = peers.rawClient(server);
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 0, 64, 64);
                ExportedTensor column = ArrowExport.export(tensor, "slow", peers.clientMemory());
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(column.vector()));
                VectorSchemaRoot out = VectorSchemaRoot.create(root.getSchema(), peers.clientMemory())) {
            FlightClient.ClientStreamListener put = slow.startPut(FlightDescriptor.path("slow"), out,
                    new AsyncPutListener());
            sendRows(root, out, 0, 32);
            put.putNext();
            // Meanwhile, four other clients at once: each lists, puts its own tensor and gets the big one.
            ExecutorService others = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    int client = i;
                    done.add(others.submit(() -> {
                        TensorFlightClient other = peers.client(server);
                        assertFalse(other.list().stream().anyMatch(info -> info.name().equals("slow")));
                        try (Tensor mine = TestTensors.ramp(TestTensors.cpu(), client, 8, 8)) {
                            other.put("other-" + client, mine);
                        }
                        try (FetchedTensor big = other.get("big", TestTensors.cpu(), CopyPolicy.NEVER)) {
                            assertEquals(ROWS, big.tensor().shape().dim(0));
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get();
                }
            } finally {
                others.shutdown();
            }
            assertFalse(server.names().contains("slow"), "still receiving: not visible");
            sendRows(root, out, 32, 32);
            put.putNext();
            put.completed();
            put.getResult();
        }
        try (FetchedTensor fetched = peers.client(server).get("slow", TestTensors.cpu(), CopyPolicy.NEVER)) {
            assertArrayEquals(TestTensors.ramp(0, 64 * 64), TestTensors.values(fetched.tensor()));
        }
    }

    @Test
    void aServerStoppedMidPutClosesCleanAndPublishesNothing() throws Exception {
        TensorFlightServer server = peers.server();
        FlightClient client = peers.rawClient(server);
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 0, 64, 64);
                ExportedTensor column = ArrowExport.export(tensor, "cut", peers.clientMemory());
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(column.vector()));
                VectorSchemaRoot out = VectorSchemaRoot.create(root.getSchema(), peers.clientMemory())) {
            AsyncPutListener result = new AsyncPutListener();
            FlightClient.ClientStreamListener put = client.startPut(FlightDescriptor.path("cut"), out, result);
            sendRows(root, out, 0, 16);
            put.putNext();
            await(() -> server.allocatedBytes() > 0, "the server received the first batch");
            assertEquals(List.of(), server.names());
            // close() throws if the server's allocator still holds anything once the server has stopped.
            assertTimeoutPreemptively(Duration.ofSeconds(30), server::close);
            FlightRuntimeException cut = assertThrows(FlightRuntimeException.class, put::getResult);
            assertTrue(List.of(FlightStatusCode.UNAVAILABLE, FlightStatusCode.CANCELLED, FlightStatusCode.INTERNAL)
                    .contains(cut.status().code()), cut::toString);
        }
        assertEquals(List.of(), server.names());
        peers.awaitLogLine(line -> line.endsWith("stopped"));
    }

    @Test
    void aClientThatStopsReadingIsDroppedAfterTheStallTimeout() throws Exception {
        TensorFlightServer server = peers.server(b -> b.batchBytes(64 << 10).stallTimeout(Duration.ofMillis(300)));
        publishBig(server, "big");
        long published = server.allocatedBytes();
        FlightClient reader = peers.rawClient(server);
        try (FlightStream stream = reader.getStream(new Ticket("big".getBytes(StandardCharsets.UTF_8)))) {
            assertTrue(stream.next());
            Thread.sleep(2_000); // reads nothing: the connection's windows fill, and the server stops waiting
            FlightRuntimeException dropped = assertThrows(FlightRuntimeException.class, () -> {
                while (stream.next()) {
                    // what was on its way before the server gave up
                }
            });
            assertEquals(FlightStatusCode.TIMED_OUT, dropped.status().code());
            assertTrue(dropped.getMessage().contains("read nothing for 300 ms"), dropped::getMessage);
        }
        peers.awaitLogLine(line -> line.contains("DoGet big") && line.contains("TIMED_OUT"));
        await(() -> server.allocatedBytes() == published, "the dropped stream's batches were released");
        stillServes(server);
    }

    /**
     * A client closed while another thread's get is receiving: close() waits for the call and throws nothing
     * (it used to close the connection's allocator under the stream's buffers and report a false leak), the get
     * either completes with the right tensor or fails with FlightCallException, and nothing leaks.
     */
    @Test
    void closingAClientWhileAGetIsReceivingWaitsForItAndThrowsNothing() throws Exception {
        TensorFlightServer server = peers.server();
        publishBig(server, "big");
        ExecutorService getter = Executors.newSingleThreadExecutor();
        int completed = 0;
        try {
            for (int round = 0; round < 20; round++) {
                TensorFlightClient client = TensorFlightClient.builder(server.location(), peers.clientMemory())
                        .connect();
                Future<float[]> got = getter.submit(() -> {
                    try (FetchedTensor fetched = client.get("big", TestTensors.cpu(), CopyPolicy.NEVER);
                            var host = fetched.tensor().toHost()) {
                        return new float[] {host.getFloat(0, 0), host.getFloat(ROWS - 1, ROW - 1)};
                    }
                });
                Thread.sleep(round * 3L); // from before the get starts to after it ends
                assertDoesNotThrow(client::close, "close() of a client with a get in flight");
                try {
                    assertArrayEquals(new float[] {0, (ROWS * ROW - 1) * 0.5f}, got.get());
                    completed++;
                } catch (ExecutionException e) {
                    assertTrue(e.getCause() instanceof FlightCallException,
                            () -> "the get failed with " + e.getCause());
                }
            }
        } finally {
            getter.shutdownNow();
        }
        assertTrue(completed > 0, "no get completed: the race was not exercised");
    }

    private static void publishBig(TensorFlightServer server, String name) {
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 0, ROWS, ROW)) {
            server.publish(name, tensor);
        }
    }

    /** Loads rows {@code from .. from + count} of {@code root} into {@code out}, without a copy. */
    private static void sendRows(VectorSchemaRoot root, VectorSchemaRoot out, int from, int count) {
        try (VectorSchemaRoot slice = root.slice(from, count);
                ArrowRecordBatch batch = new VectorUnloader(slice).getRecordBatch()) {
            new VectorLoader(out).load(batch);
        }
    }

    private void stillServes(TensorFlightServer server) {
        TensorFlightClient other = peers.client(server);
        try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 3, 8, 8)) {
            other.put("after", tensor);
        }
        try (FetchedTensor fetched = other.get("after", TestTensors.cpu(), CopyPolicy.NEVER)) {
            assertArrayEquals(TestTensors.ramp(3, 64), TestTensors.values(fetched.tensor()));
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 20 s in vain: " + what);
            }
            Thread.sleep(20);
        }
    }
}
