package org.tensorbridge.flight;

import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightCallHeaders;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.HeaderCallOption;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;
import org.tensorbridge.arrow.ArrowExport;
import org.tensorbridge.arrow.ArrowLayoutException;
import org.tensorbridge.arrow.ExportedTensor;
import org.tensorbridge.arrow.FixedShapeTensorType;
import org.tensorbridge.arrow.SparseExport;

/**
 * A Flight client for tensors: lists, gets, puts and deletes the names of a {@link TensorFlightServer}, and
 * gets dense tensors from any Flight server that sends one {@code arrow.fixed_shape_tensor} column (a
 * {@code pyarrow.flight} server, say).
 *
 * <h2>Sharing</h2>
 * {@link #get} imports the tensor from the buffers Flight received it into, through interop-arrow's
 * {@code ArrowImport}: on a backend that wraps host memory (the CPU backend) the tensor <em>is</em> that
 * memory, with no copy after the data arrived, so {@code CopyPolicy.NEVER} works, and the result reports
 * {@code SHARED}; it asks a tensorbridge server for the whole tensor in one batch (up to the server's
 * message limit) so that there is one buffer to share. Other backends (the GPU backend) copy, reported
 * {@code INDEPENDENT} with the bytes copied; {@code NEVER} then throws {@code CopyRequiredException}.
 * {@link #put(String, Tensor)} sends the tensor's own host memory (an {@code ArrowExport} column, sliced into
 * batches, written to the connection from the tensor's memory): no copy is made before sending.
 *
 * <h2>Lifetime</h2>
 * Received memory is allocated from the allocator given to {@link #builder}, and a shared tensor keeps it
 * until the tensor and its views are closed: close them before that allocator (which then reports no leak).
 * The client itself holds no tensor memory; {@link #close()} closes the connection.
 *
 * <h2>Errors</h2>
 * A call the server refuses (or that fails on the way) throws {@link FlightCallException} with the Flight
 * status and the server's description, which names the fix; a name of the wrong kind
 * ({@code get} of a table) throws {@link ArrowLayoutException}.
 *
 * <p>Thread-safe: calls may run at once from several threads.
 */
public final class TensorFlightClient implements AutoCloseable {
    private final FlightClient flight;
    private final BufferAllocator allocator;
    private final CallOption credentials;
    private final long putBatchBytes;
    /** Closing waits for the calls in flight. */
    private final CallGate calls = new CallGate();

    private TensorFlightClient(Builder builder) {
        FixedShapeTensorType.ensureRegistered();
        this.allocator = builder.allocator;
        this.putBatchBytes = builder.putBatchBytes;
        FlightClient.Builder flightBuilder = FlightClient.builder(allocator, builder.location);
        if (builder.trustedCertificates != null) {
            try {
                // Flight reads the stream when the client is built.
                flightBuilder.trustedCertificates(new ByteArrayInputStream(Files.readAllBytes(
                        builder.trustedCertificates)));
            } catch (IOException e) {
                throw new FlightSettingException("the trusted certificates " + builder.trustedCertificates
                        + " cannot be read: " + e.getMessage() + "; give the server's PEM certificate", e);
            }
        }
        try {
            this.flight = flightBuilder.build();
        } catch (IllegalArgumentException e) {
            throw new FlightSettingException("the client cannot connect to " + builder.location.getUri() + ": "
                    + e.getMessage() + "; check the location and that the trusted certificates are PEM", e);
        }
        CallOption given = null;
        try {
            if (builder.token != null) {
                given = new CredentialCallOption(new BearerCredentialWriter(builder.token));
            } else if (builder.user != null) {
                String call = "authenticate as " + builder.user;
                given = call(call, () -> flight.authenticateBasicToken(builder.user, builder.password))
                        .orElseThrow(() -> new FlightCallException(call, CallStatus.UNAUTHENTICATED.withDescription(
                                "the server answered basic authentication without a bearer token; is it a "
                                + "tensorbridge server?").toRuntimeException()));
            }
        } catch (RuntimeException e) {
            closeQuietly(flight, e);
            throw e;
        }
        this.credentials = given;
    }

    /** A builder of a client of the server at {@code location}, receiving into {@code allocator}. */
    public static Builder builder(Location location, BufferAllocator allocator) {
        return new Builder(location, allocator);
    }

    /** Every published name, described. */
    public List<FlightTensorInfo> list() {
        return inFlight("list", () -> {
            List<FlightTensorInfo> infos = new ArrayList<>();
            for (FlightInfo info : flight.listFlights(Criteria.ALL, options())) {
                infos.add(FlightTensorInfo.of(info));
            }
            return infos;
        });
    }

    /**
     * What the server says of {@code name}.
     *
     * @throws FlightCallException {@code NOT_FOUND} if nothing is published under it
     */
    public FlightTensorInfo describe(String name) {
        return FlightTensorInfo.of(info(name));
    }

    /**
     * The dense tensor published as {@code name}, on {@code backend}: the received memory itself on a backend
     * that wraps host memory, else a copy (see the class comment).
     *
     * @throws ArrowLayoutException if {@code name} is not a dense tensor
     * @throws org.tensorbridge.CopyRequiredException under {@code NEVER} when the backend cannot wrap host
     *     memory, the column has a permutation, or the tensor arrived in several batches
     * @throws FlightCallException if the server refused the call
     */
    public FetchedTensor get(String name, Backend backend, CopyPolicy policy) {
        Objects.requireNonNull(backend, "backend must not be null");
        Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
        FlightInfo flightInfo = info(name);
        FlightTensorInfo info = FlightTensorInfo.of(flightInfo);
        requireKind(info, TensorKind.DENSE, "getSparse or getTable");
        try (ReceivedStream received = receive("get " + name, flightInfo)) {
            // The stream's own schema decides, whatever a foreign server's FlightInfo said.
            requireKind(FlightTensorInfo.of(name, received.schema(), -1, -1), TensorKind.DENSE,
                    "getSparse or getTable");
            return received.dense(info, backend, policy);
        }
    }

    /**
     * The sparse tensor published as {@code name}, on {@code backend}, its indices and values over the received
     * memory where the backend wraps host memory (as interop-arrow's {@code SparseImport} shares). The caller
     * closes it.
     *
     * @throws ArrowLayoutException if {@code name} is not a sparse tensor
     */
    public SparseTensor getSparse(String name, Backend backend, CopyPolicy policy) {
        Objects.requireNonNull(backend, "backend must not be null");
        Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
        FlightInfo flightInfo = info(name);
        requireKind(FlightTensorInfo.of(flightInfo), TensorKind.SPARSE, "get or getTable");
        try (ReceivedStream received = receive("get " + name, flightInfo)) {
            return received.sparse(name, backend, policy);
        }
    }

    /**
     * The batches published as {@code name} (any kind), each a root over the received buffers, in order. The
     * caller closes every root; tensor columns in them convert with {@code ArrowImport}.
     */
    public List<VectorSchemaRoot> getTable(String name) {
        FlightInfo flightInfo = info(name);
        try (ReceivedStream received = receive("get " + name, flightInfo)) {
            return received.roots();
        }
    }

    /**
     * Publishes a dense tensor (rank 1 or more) as {@code name} on the server, replacing what was there once the
     * server has it all. Sends the tensor's host memory without copying it first (a device tensor is copied to
     * the host once); the tensor stays the caller's.
     *
     * @throws FlightCallException if the server refused it ({@code RESOURCE_EXHAUSTED} past its limits)
     */
    public void put(String name, Tensor tensor) {
        Objects.requireNonNull(tensor, "tensor must not be null");
        TensorNames.check(name);
        try (ExportedTensor column = ArrowExport.export(tensor, name, allocator);
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(column.vector()))) {
            long rows = Math.max(1, tensor.shape().dim(0));
            long rowBytes = tensor.shape().elementCount() * tensor.dtype().byteWidth() / rows;
            inFlight("put " + name, () -> {
                OutgoingStream.put(flight, name, root, putBatchBytes, rowBytes, allocator, options());
                return null;
            });
        }
    }

    /** Publishes a sparse tensor as {@code name}, in interop-arrow's COO layout, its arrays sent without a copy. */
    public void put(String name, SparseTensor tensor) {
        Objects.requireNonNull(tensor, "tensor must not be null");
        TensorNames.check(name);
        try (VectorSchemaRoot root = SparseExport.toRecordBatch(tensor, allocator)) {
            long rowBytes = (long) tensor.denseShape().rank() * Long.BYTES + tensor.dtype().byteWidth();
            inFlight("put " + name, () -> {
                OutgoingStream.put(flight, name, root, putBatchBytes, rowBytes, allocator, options());
                return null;
            });
        }
    }

    /** Publishes the rows of {@code table} as {@code name}; the caller keeps the root. */
    public void putTable(String name, VectorSchemaRoot table) {
        Objects.requireNonNull(table, "table must not be null");
        TensorNames.check(name);
        long bytes;
        try (ArrowRecordBatch batch = new VectorUnloader(table).getRecordBatch()) {
            bytes = batch.computeBodyLength();
        }
        long rowBytes = bytes / Math.max(1, table.getRowCount());
        inFlight("put " + name, () -> {
            OutgoingStream.put(flight, name, table, putBatchBytes, rowBytes, allocator, options());
            return null;
        });
    }

    /**
     * Removes {@code name} from the server.
     *
     * @throws FlightCallException {@code NOT_FOUND} if nothing is published under it
     */
    public void delete(String name) {
        Action action = new Action(TensorFlightProducer.DELETE, TensorNames.check(name).getBytes(
                StandardCharsets.UTF_8));
        inFlight("delete " + name, () -> {
            Iterator<Result> results = flight.doAction(action, options());
            while (results.hasNext()) {
                results.next();
            }
            return null;
        });
    }

    /**
     * Closes the connection once the calls in flight have finished, waiting at most
     * {@link CallGate#CLOSE_WAIT_SECONDS} seconds for them (a call still receiving holds buffers of the
     * connection's allocator, which closing it under them would report as a leak); past that, a call that is stuck
     * (a server that stopped sending) is closed under, fails with {@link FlightCallException}, and Arrow may report
     * its buffers. Tensors already received stay valid;
     * calls made afterwards throw {@link FlightCallException} ({@code UNAVAILABLE}).
     */
    @Override
    public void close() {
        calls.close(flight::close);
    }

    /** {@link #call} while holding off {@link #close()}, which waits for every call in flight. */
    private <T> T inFlight(String what, Supplier<T> call) {
        return calls.pass(() -> call(what, call));
    }

    private FlightInfo info(String name) {
        return inFlight("describe " + name, () -> flight.getInfo(TensorNames.descriptor(name), options()));
    }

    private ReceivedStream receive(String call, FlightInfo info) {
        FlightCallHeaders headers = new FlightCallHeaders();
        // The whole tensor in one batch, if the server allows it: one buffer to share.
        headers.insert(TensorFlightProducer.BATCH_BYTES_HEADER, Long.toString(Integer.MAX_VALUE));
        List<CallOption> options = new ArrayList<>(List.of(options()));
        options.add(new HeaderCallOption(headers));
        return inFlight(call, () -> ReceivedStream.read(flight, info, allocator, options.toArray(new CallOption[0])));
    }

    private CallOption[] options() {
        return credentials == null ? new CallOption[0] : new CallOption[] {credentials};
    }

    private static void requireKind(FlightTensorInfo info, TensorKind kind, String instead) {
        if (info.kind() != kind) {
            throw new ArrowLayoutException(info.name() + " is a " + info.kind().metadataValue() + ", not a "
                    + kind.metadataValue() + " tensor; use " + instead);
        }
    }

    /** What to do about a batch over the server's message limit, said by both refusals that can mean it. */
    private static final String MESSAGE_LIMIT_FIX = "send smaller batches (TensorFlightClient.Builder.putBatchBytes) or "
            + "start the server with a larger message limit (tensorbridge serve --max-message-bytes)";

    private static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (FlightRuntimeException e) {
            String description = e.status().description();
            if (e.status().code() == FlightStatusCode.RESOURCE_EXHAUSTED && description != null
                    && description.contains("gRPC message exceeds maximum size")) {
                // gRPC's own refusal names the limit but not the fix.
                throw new FlightCallException(what, e.status().withDescription(description + "; " + MESSAGE_LIMIT_FIX)
                        .withCause(e).toRuntimeException());
            }
            if (e.status().code() == FlightStatusCode.CANCELLED && what.startsWith("put ")) {
                // This client cancels nothing, so the server's gRPC ended the call while receiving it. It does that
                // for a message over its size limit, and its own RESOURCE_EXHAUSTED usually reaches the client; but
                // the server's DoPut handler, told "client cancelled", can answer first.
                throw new FlightCallException(what, e.status().withDescription(description + "; the server ended "
                        + "the put while receiving it: most often a batch over its message limit, so " + MESSAGE_LIMIT_FIX)
                        .withCause(e).toRuntimeException());
            }
            throw new FlightCallException(what, e);
        }
    }

    private static void closeQuietly(FlightClient flight, Throwable failure) {
        try {
            flight.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Settings of a {@link TensorFlightClient}; {@link #connect()} makes it. Defaults: no credentials, the
     * system's trusted certificates for {@code grpc+tls} locations, puts in batches of 64 MiB. Not
     * thread-safe.
     */
    public static final class Builder {
        private final Location location;
        private final BufferAllocator allocator;
        private String token;
        private String user;
        private String password;
        private Path trustedCertificates;
        private long putBatchBytes = 64L << 20;

        private Builder(Location location, BufferAllocator allocator) {
            this.location = Objects.requireNonNull(location, "location must not be null");
            this.allocator = Objects.requireNonNull(allocator, "allocator must not be null");
        }

        /** Sends {@code authorization: Bearer <token>} with every call. */
        public Builder bearerToken(String token) {
            if (token == null || token.isEmpty()) {
                throw new FlightSettingException("the bearer token is empty; give the server's token");
            }
            this.token = token;
            return this;
        }

        /** Authenticates with this user and password once, then sends the bearer token the server answers with. */
        public Builder basicAuth(String user, String password) {
            if (user == null || user.isEmpty() || password == null) {
                throw new FlightSettingException("basic authentication needs a user and a password");
            }
            this.user = user;
            this.password = password;
            return this;
        }

        /** Trusts the PEM certificates in {@code file} for a {@code grpc+tls} location (a self-signed server). */
        public Builder trustedCertificates(Path file) {
            this.trustedCertificates = Objects.requireNonNull(file, "file must not be null");
            return this;
        }

        /** Data bytes per batch of {@code put} (default 64 MiB); keep it under the server's message limit. */
        public Builder putBatchBytes(long bytes) {
            if (bytes <= 0) {
                throw new FlightSettingException("putBatchBytes is " + bytes + "; give a positive number of bytes");
            }
            this.putBatchBytes = bytes;
            return this;
        }

        /**
         * Connects (and authenticates, for basic authentication).
         *
         * @throws FlightCallException if basic authentication is refused
         * @throws FlightSettingException if the trusted certificates cannot be read
         */
        public TensorFlightClient connect() {
            return new TensorFlightClient(this);
        }
    }
}
