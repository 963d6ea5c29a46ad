package org.tensorbridge.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.flight.FetchedTensor;
import org.tensorbridge.flight.TensorFlightClient;
import org.tensorbridge.flight.TensorFlightServer;

/**
 * P9, tensors on Arrow Flight over loopback, server and clients in one JVM: {@code TensorFlightClient.get}
 * ({@code NEVER}: the tensor is the received buffer) of a 256 MiB float32 tensor published by a
 * {@code TensorFlightServer} (rows of 1024 floats, sent as one batch, as the client asks), against a plain
 * Flight {@code DoGet} of the same bytes as one {@code Float4Vector} batch from a plain
 * {@code NoOpFlightProducer} with Flight's default settings, read with {@code FlightStream.next()}; and the
 * tensorbridge get by 2 and 4 clients at once (JMH threads, each with its own client and allocator), whose
 * aggregate throughput is clients × 256 MiB ÷ the time per call. Each thread's allocator is checked empty
 * after every call's tensor is closed (it throws on a leak when the trial ends).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:MaxDirectMemorySize=6g",
    "--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class P9FlightTransfer {
    private static final int ROW = 1024;
    static final String TENSOR = "tensor";
    static final String RAW = "raw";

    /** Bytes of the float32 tensor. */
    @Param({"256MiB"})
    public String size;

    BufferAllocator serverMemory;
    TensorFlightServer server;
    FlightServer rawServer;
    Float4Vector rawColumn;
    VectorSchemaRoot rawRoot;

    @Setup(Level.Trial)
    public void startServers() throws Exception {
        serverMemory = new RootAllocator();
        int floats = Sizes.floats(size);
        server = TensorFlightServer.builder(serverMemory).start();
        try (Tensor tensor = Backends.get("cpu").fill(DType.FLOAT32, Shape.of(floats / ROW, ROW), 1.5f)) {
            server.publish(TENSOR, tensor);
        }
        rawColumn = new Float4Vector("raw", serverMemory);
        rawColumn.allocateNew(floats);
        for (int i = 0; i < floats; i++) {
            rawColumn.set(i, 1.5f);
        }
        rawColumn.setValueCount(floats);
        // One root for every call, closed with the servers: closing a root closes its column, which would leave
        // later calls an empty column to send.
        rawRoot = new VectorSchemaRoot(List.<FieldVector>of(rawColumn));
        NoOpFlightProducer oneColumn = new NoOpFlightProducer() {
            @Override
            public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
                listener.start(rawRoot);
                listener.putNext();
                listener.completed();
            }
        };
        rawServer = FlightServer.builder(serverMemory, Location.forGrpcInsecure("localhost", 0), oneColumn).build()
                .start();
    }

    @TearDown(Level.Trial)
    public void stopServers() throws Exception {
        server.close();
        rawServer.close();
        rawRoot.close();
        serverMemory.close();
    }

    /** One client of each kind, with its own allocator, per JMH thread. */
    @State(Scope.Thread)
    public static class Client {
        Backend cpu;
        BufferAllocator memory;
        TensorFlightClient tensorbridge;
        FlightClient raw;
        long expectedRows;

        @Setup(Level.Trial)
        public void connect(P9FlightTransfer bench) {
            cpu = Backends.get("cpu");
            memory = new RootAllocator();
            tensorbridge = TensorFlightClient.builder(bench.server.location(), memory).connect();
            raw = FlightClient.builder(memory, bench.rawServer.getLocation()).build();
            expectedRows = Sizes.floats(bench.size);
        }

        @TearDown(Level.Trial)
        public void disconnect() throws Exception {
            tensorbridge.close();
            raw.close();
            memory.close();
        }

        long get() {
            try (FetchedTensor fetched = tensorbridge.get(TENSOR, cpu, CopyPolicy.NEVER)) {
                return fetched.tensor().shape().dim(0);
            }
        }
    }

    @Benchmark
    public long tensorbridgeGet(Client client) {
        return client.get();
    }

    @Benchmark
    @Threads(2)
    public long tensorbridgeGet2Clients(Client client) {
        return client.get();
    }

    @Benchmark
    @Threads(4)
    public long tensorbridgeGet4Clients(Client client) {
        return client.get();
    }

    @Benchmark
    public long rawFlightGet(Client client) throws Exception {
        long rows = 0;
        try (FlightStream stream = client.raw.getStream(new Ticket(RAW.getBytes(StandardCharsets.UTF_8)))) {
            while (stream.next()) {
                rows += stream.getRoot().getRowCount();
            }
        }
        if (rows != client.expectedRows) {
            throw new IllegalStateException("the raw DoGet delivered " + rows + " floats; expected " + client.expectedRows);
        }
        return rows;
    }
}
