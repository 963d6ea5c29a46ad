package org.tensorbridge.flight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import io.grpc.netty.NettyServerBuilder;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;
import org.tensorbridge.arrow.FixedShapeTensorType;

/**
 * An Arrow Flight server that publishes named tensors: dense tensors (one {@code arrow.fixed_shape_tensor}
 * column), sparse tensors (interop-arrow's COO record-batch layout) and tables whose columns may be tensor
 * columns. Any Flight client reaches it — {@link TensorFlightClient}, {@code pyarrow.flight}, Flight in C++,
 * Go or Rust.
 *
 * <h2>The Flight methods</h2>
 * <ul>
 *   <li>{@code ListFlights} and {@code GetFlightInfo} describe each name: a path descriptor of one element,
 *       the name, and the schema whose metadata holds the dtype, shape, dimension names and byte size
 *       ({@link FlightTensorInfo}); one endpoint, on this server, whose ticket is the name's UTF-8 bytes.</li>
 *   <li>{@code DoGet} streams a name in batches of at most {@link TensorFlightServerBuilder#batchBytes} bytes
 *       of data, or what the client asks for in the call header {@code x-tensorbridge-batch-bytes} up to
 *       {@link TensorFlightServerBuilder#maxMessageBytes} (at least one row each). Batches are slices of the
 *       published buffers, sent without a copy; a slow client is waited for, a gone one stops the stream.</li>
 *   <li>{@code DoPut} (a path descriptor naming the target) stores what the client sends: checked batch by
 *       batch and published when the client completes the stream, replacing what was there in one step, so
 *       a partly received tensor is never visible, and a failed or cancelled put leaves the old one.</li>
 *   <li>{@code DoAction("delete")} with the name as the body removes it.</li>
 * </ul>
 * Refusals are Flight statuses with a description that names the fix: {@code UNAUTHENTICATED},
 * {@code NOT_FOUND}, {@code INVALID_ARGUMENT} (a malformed name or batch), {@code RESOURCE_EXHAUSTED} (a
 * message over {@link TensorFlightServerBuilder#maxMessageBytes}, a put over
 * {@link TensorFlightServerBuilder#maxTensorBytes}, no memory left).
 *
 * <h2>Sharing and lifetime</h2>
 * {@link #publish(String, Tensor)} shares host memory: the tensor's memory is lent to Arrow
 * ({@code ArrowExport}) and stays alive while the name is published or a stream still sends it, even if the
 * caller closes the tensor. A device tensor is copied to the host once. Received tensors are kept in the
 * buffers Flight received them into. Everything the server holds is counted by a child of the allocator
 * given to {@link #builder}, which {@link #close()} closes: it throws {@link IllegalStateException} if memory
 * was leaked, so close the parent allocator after the server.
 *
 * <p>Thread-safe: publish, delete and the Flight calls may run at once from any threads.
 */
public final class TensorFlightServer implements AutoCloseable {
    private final BufferAllocator allocator;
    private final PublishedStore store = new PublishedStore();
    private final TensorFlightProducer producer;
    private final FlightServer server;
    private final Location location;
    private final RequestLog log;
    private final ExecutorService executor;
    private final ServerSettings settings;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);

    TensorFlightServer(TensorFlightServerBuilder builder) throws IOException {
        FixedShapeTensorType.ensureRegistered();
        this.allocator = builder.allocator.newChildAllocator("tensorbridge-flight-server", 0, builder.memoryLimit);
        this.log = new RequestLog(builder.requestLog);
        this.settings = new ServerSettings(allocator, builder.batchBytes, builder.maxMessageBytes,
                builder.maxTensorBytes, builder.stallTimeout.toMillis(), builder.checkBackend);
        // gRPC's callbacks, the puts and the streams run here. Flight shuts down an executor it made itself as
        // soon as the server begins to stop, and gRPC then cannot tell a put in progress that its call was
        // cancelled (the put would wait for ever); this one is shut down after the last call has ended.
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "tensorbridge-flight-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.producer = new TensorFlightProducer(store, settings, log, executor);
        boolean tls = builder.certificateChain != null;
        Location bind = tls ? Location.forGrpcTls(builder.host, builder.port)
                : Location.forGrpcInsecure(builder.host, builder.port);
        FlightServer.Builder flight = FlightServer.builder(allocator, bind, producer)
                .executor(executor)
                .maxInboundMessageSize(builder.maxMessageBytes)
                .middleware(RequestLog.KEY, log)
                .transportHint("grpc.builderConsumer", (Consumer<NettyServerBuilder>) grpc -> grpc.intercept(
                        new IncomingMessageChecks()));
        if (builder.token != null || builder.user != null) {
            flight.headerAuthenticator(new HeaderAuthentication(builder.token, builder.user, builder.password,
                    log::event));
        }
        FlightServer started = null;
        try {
            if (tls) {
                // Flight reads the files when the server is built.
                flight.useTls(builder.certificateChain.toFile(), builder.privateKey.toFile());
            }
            started = flight.build().start();
        } catch (IOException | RuntimeException e) {
            executor.shutdown();
            allocator.close();
            throw e;
        }
        this.server = started;
        this.location = tls ? Location.forGrpcTls(builder.host, server.getPort())
                : Location.forGrpcInsecure(builder.host, server.getPort());
    }

    /** A builder of a server whose memory is a child of {@code allocator}. */
    public static TensorFlightServerBuilder builder(BufferAllocator allocator) {
        return new TensorFlightServerBuilder(allocator);
    }

    /** Where clients reach the server: {@code grpc+tcp://host:port} or {@code grpc+tls://host:port}. */
    public Location location() {
        return location;
    }

    /** The port the server listens on (the one the system chose when the builder asked for 0). */
    public int port() {
        return server.getPort();
    }

    /**
     * Publishes a dense tensor of rank 1 or more under {@code name}: one row per index of its first dimension.
     * Shares the tensor's host memory (see the class comment); replaces what was published under the name.
     *
     * @throws InvalidTensorNameException if the name is not one the server takes
     * @throws org.tensorbridge.UnsupportedDTypeException for {@code bfloat16}, which Arrow cannot hold
     * @throws org.tensorbridge.ShapeMismatchException for a scalar (reshape it to {@code [1]})
     */
    public void publish(String name, Tensor tensor) {
        publish(name, tensor, null);
    }

    /**
     * {@link #publish(String, Tensor)} with one name per dimension ({@code ""} for an unnamed one): the first
     * goes in the description, the others also in the column type's {@code dim_names}.
     *
     * @throws org.tensorbridge.ShapeMismatchException if there is not one name per dimension
     */
    public void publish(String name, Tensor tensor, List<String> dimNames) {
        Objects.requireNonNull(tensor, "tensor must not be null");
        Published entry = Publications.dense(TensorNames.check(name), tensor, dimNames, allocator);
        log.event("published " + entry.info());
        store.put(entry);
    }

    /** Publishes a sparse tensor under {@code name} in interop-arrow's COO layout, its arrays shared. */
    public void publish(String name, SparseTensor tensor) {
        Objects.requireNonNull(tensor, "tensor must not be null");
        Published entry = Publications.sparse(TensorNames.check(name), tensor, allocator);
        log.event("published " + entry.info());
        store.put(entry);
    }

    /**
     * Publishes the rows of {@code table} under {@code name}; the caller keeps the root and may close it at
     * once. The server shares the table's buffers when they come from the same root allocator as the server's
     * (the buffers then stay allocated until the name is replaced or deleted and no stream sends them), and
     * copies them once otherwise (Arrow moves buffers only within one root allocator).
     */
    public void publishTable(String name, VectorSchemaRoot table) {
        Objects.requireNonNull(table, "table must not be null");
        Published entry = Publications.table(TensorNames.check(name), table, allocator);
        log.event("published " + entry.info());
        store.put(entry);
    }

    /**
     * Publishes the record batches {@code reader} gives (an Arrow IPC file or stream opened with
     * {@code TensorIpc}, say) under {@code name}, as a {@code DoPut} of them would: one
     * {@code arrow.fixed_shape_tensor} column is a dense tensor, interop-arrow's sparse layout a sparse tensor,
     * anything else a table; each batch is checked as a put's are, and a dense or sparse tensor of several
     * batches is joined into one. The entry keeps the reader's buffers (read it with an allocator of the same
     * root allocator as the server's); the caller closes the reader.
     *
     * @throws org.tensorbridge.arrow.ArrowLayoutException if a batch is malformed, or a tensor column has nulls
     * @throws org.tensorbridge.CapacityException if the server's allocator has no room for it
     */
    public void publishArrow(String name, ArrowReader reader) {
        Objects.requireNonNull(reader, "reader must not be null");
        Published entry = new PutReceiver(allocator, Long.MAX_VALUE, settings::checkBackend)
                .publish(TensorNames.check(name), PutReceiver.BatchSource.of(reader));
        log.event("published " + entry.info());
        store.put(entry);
    }

    /** Removes {@code name}; {@code false} if nothing was published under it. Streams in progress finish. */
    public boolean delete(String name) {
        return store.remove(TensorNames.check(name));
    }

    /** The published names, in order. */
    public List<String> names() {
        return store.names();
    }

    /** What {@code GetFlightInfo} says of {@code name}, if it is published. */
    public Optional<FlightTensorInfo> describe(String name) {
        Published entry = store.acquire(TensorNames.check(name));
        if (entry == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(entry.info());
        } finally {
            entry.release();
        }
    }

    /** Bytes the server's allocator holds now: what it publishes and what calls in progress hold. */
    public long allocatedBytes() {
        return allocator.getAllocatedMemory();
    }

    /** Blocks until the server is closed (by {@link #close()} from another thread, a shutdown hook say). */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /**
     * Stops the server: no new calls; calls in progress get a grace period (Flight's 3 s), then are cancelled;
     * every name is released, and the server's allocator is closed. Idempotent.
     *
     * @throws IllegalStateException if memory is still held after all that: a leak, which Arrow reports
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
            producer.awaitCalls(10_000);
            executor.shutdown();
            store.close();
            // Messages of cancelled calls may still be in Netty's hands for a moment after the server stops.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (allocator.getAllocatedMemory() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            allocator.close();
            log.event("stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdown();
            store.close();
            allocator.close();
        } finally {
            terminated.countDown();
        }
    }

    @Override
    public String toString() {
        return "TensorFlightServer[" + location.getUri() + ", " + store.names().size() + " names]";
    }
}
