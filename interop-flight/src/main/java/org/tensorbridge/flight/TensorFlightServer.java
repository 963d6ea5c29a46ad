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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import io.grpc.netty.NettyServerBuilder;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
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
 *   <li>{@code DoGet} streams a name in batches of at most {@link Builder#batchBytes} bytes of data, or what
 *       the client asks for in the call header {@code x-tensorbridge-batch-bytes} up to
 *       {@link Builder#maxMessageBytes} (at least one row each). Batches are slices of the published buffers,
 *       sent without a copy; a slow client is waited for, a gone one stops the stream.</li>
 *   <li>{@code DoPut} (a path descriptor naming the target) stores what the client sends: checked batch by
 *       batch and published when the client completes the stream, replacing what was there in one step, so
 *       a partly received tensor is never visible, and a failed or cancelled put leaves the old one.</li>
 *   <li>{@code DoAction("delete")} with the name as the body removes it.</li>
 * </ul>
 * Refusals are Flight statuses with a description that names the fix: {@code UNAUTHENTICATED}, {@code
 * NOT_FOUND}, {@code INVALID_ARGUMENT} (a malformed name or batch), {@code RESOURCE_EXHAUSTED} (a message over
 * {@link Builder#maxMessageBytes}, a put over {@link Builder#maxTensorBytes}, no memory left).
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
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private TensorFlightServer(Builder builder) throws IOException {
        FixedShapeTensorType.ensureRegistered();
        this.allocator = builder.allocator.newChildAllocator("tensorbridge-flight-server", 0, builder.memoryLimit);
        this.log = new RequestLog(builder.requestLog);
        ServerSettings settings = new ServerSettings(allocator, builder.batchBytes, builder.maxMessageBytes,
                builder.maxTensorBytes, builder.stallTimeout.toMillis(), builder.checkBackend);
        // gRPC's callbacks, the puts and the streams run here. Flight shuts down an executor it made itself as
        // soon as the server begins to stop, and gRPC then cannot tell a put in progress that its call was
        // cancelled (the put would wait for ever); this one is shut down after the last call has ended.
        this.executor = Executors.newCachedThreadPool(new ThreadFactory() {
            private final AtomicInteger count = new AtomicInteger();

            @Override
            public Thread newThread(Runnable task) {
                Thread thread = new Thread(task, "tensorbridge-flight-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }
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
    public static Builder builder(BufferAllocator allocator) {
        return new Builder(allocator);
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
        store.put(Publications.dense(TensorNames.check(name), tensor, dimNames, allocator));
        log.event("published " + name + " (" + tensor.dtype().displayName() + tensor.shape() + ")");
    }

    /** Publishes a sparse tensor under {@code name} in interop-arrow's COO layout, its arrays shared. */
    public void publish(String name, SparseTensor tensor) {
        Objects.requireNonNull(tensor, "tensor must not be null");
        store.put(Publications.sparse(TensorNames.check(name), tensor, allocator));
        log.event("published " + name + " (sparse " + tensor.dtype().displayName() + tensor.denseShape() + ")");
    }

    /**
     * Publishes the rows of {@code table} under {@code name}; the caller keeps the root and may close it at
     * once. The server shares the table's buffers when they come from the same root allocator as the server's
     * (the buffers then stay allocated until the name is replaced or deleted and no stream sends them), and
     * copies them once otherwise (Arrow moves buffers only within one root allocator).
     */
    public void publishTable(String name, VectorSchemaRoot table) {
        Objects.requireNonNull(table, "table must not be null");
        store.put(Publications.table(TensorNames.check(name), table, allocator));
        log.event("published " + name + " (table of " + table.getRowCount() + " rows)");
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

    /**
     * Settings of a {@link TensorFlightServer}; {@link #start()} starts it. Defaults: {@code localhost}, a port
     * the system chooses, no authentication, no TLS, batches of 8 MiB, messages of at most 256 MiB, puts of at
     * most 1 GiB, no memory limit beyond the parent allocator's, clients dropped after 60 s without reading,
     * no request log, and sparse puts checked with {@link Backends#get()}. Not thread-safe.
     */
    public static final class Builder {
        private final BufferAllocator allocator;
        private String host = "localhost";
        private int port;
        private String token;
        private String user;
        private String password;
        private Path certificateChain;
        private Path privateKey;
        private long batchBytes = 8L << 20;
        private int maxMessageBytes = 256 << 20;
        private long maxTensorBytes = 1L << 30;
        private long memoryLimit = Long.MAX_VALUE;
        private Duration stallTimeout = Duration.ofSeconds(60);
        private Consumer<String> requestLog = line -> { };
        private java.util.function.Supplier<Backend> checkBackend = Backends::get;

        private Builder(BufferAllocator allocator) {
            this.allocator = Objects.requireNonNull(allocator, "allocator must not be null");
        }

        /** The address to listen on: {@code localhost} (default), {@code 0.0.0.0} for every interface. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host must not be null");
            return this;
        }

        /** The port to listen on; 0 (default) lets the system choose ({@link TensorFlightServer#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new FlightSettingException("port is " + port + "; give 0 to 65535 (0: any free port)");
            }
            this.port = port;
            return this;
        }

        /** Requires the header {@code authorization: Bearer <token>} on every call. */
        public Builder bearerToken(String token) {
            if (token == null || token.isEmpty()) {
                throw new FlightSettingException("the bearer token is empty; give a secret of some length");
            }
            this.token = token;
            return this;
        }

        /** Accepts HTTP basic authentication with this user and password (answered with a bearer token). */
        public Builder basicAuth(String user, String password) {
            if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
                throw new FlightSettingException("basic authentication needs a user and a password, both non-empty");
            }
            this.user = user;
            this.password = password;
            return this;
        }

        /** Serves TLS with this PEM certificate chain and PEM (PKCS #8) private key. */
        public Builder tls(Path certificateChain, Path privateKey) {
            for (Path file : new Path[] {certificateChain, privateKey}) {
                if (file == null || !Files.isReadable(file)) {
                    throw new FlightSettingException("TLS file " + file + " is missing or unreadable; give a PEM "
                            + "certificate chain and a PEM private key (openssl req -x509 -newkey rsa:2048 -nodes "
                            + "-keyout key.pem -out cert.pem -subj /CN=localhost)");
                }
            }
            this.certificateChain = certificateChain;
            this.privateKey = privateKey;
            return this;
        }

        /** Data bytes per {@code DoGet} batch when the client does not ask (default 8 MiB). */
        public Builder batchBytes(long bytes) {
            this.batchBytes = positive("batchBytes", bytes);
            return this;
        }

        /** The largest message a client may send, and the largest batch it may ask for (default 256 MiB). */
        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = (int) positive("maxMessageBytes", bytes);
            return this;
        }

        /** The most bytes one {@code DoPut} may bring (default 1 GiB). */
        public Builder maxTensorBytes(long bytes) {
            this.maxTensorBytes = positive("maxTensorBytes", bytes);
            return this;
        }

        /** The most memory the server's allocator may hold (default: the parent's limit). */
        public Builder memoryLimit(long bytes) {
            this.memoryLimit = positive("memoryLimit", bytes);
            return this;
        }

        /** How long a {@code DoGet} waits for a client that reads nothing before dropping it (default 60 s). */
        public Builder stallTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new FlightSettingException("stallTimeout is " + timeout + "; give a positive duration");
            }
            this.stallTimeout = timeout;
            return this;
        }

        /** Receives one line per call and per server event; called from many threads. */
        public Builder requestLog(Consumer<String> sink) {
            this.requestLog = Objects.requireNonNull(sink, "sink must not be null");
            return this;
        }

        /** The backend that checks received sparse tensors (indices inside the shape; default {@link Backends#get()}). */
        public Builder checkBackend(Backend backend) {
            Objects.requireNonNull(backend, "backend must not be null");
            this.checkBackend = () -> backend;
            return this;
        }

        /**
         * Starts the server.
         *
         * @throws FlightSettingException if the port cannot be bound, or the TLS files are not a PEM
         *     certificate chain and key
         */
        public TensorFlightServer start() {
            try {
                return new TensorFlightServer(this);
            } catch (IOException | IllegalArgumentException e) {
                if (e instanceof FlightSettingException setting) {
                    throw setting;
                }
                throw new FlightSettingException("the Flight server could not start on " + host + ":" + port + ": "
                        + e.getMessage() + "; choose another port (or 0 for any), or check that the TLS files are a "
                        + "PEM certificate chain and its PEM private key", e);
            }
        }

        private static long positive(String setting, long bytes) {
            if (bytes <= 0) {
                throw new FlightSettingException(setting + " is " + bytes + "; give a positive number of bytes");
            }
            return bytes;
        }
    }
}
