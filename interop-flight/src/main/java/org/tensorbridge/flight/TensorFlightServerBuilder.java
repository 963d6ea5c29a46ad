package org.tensorbridge.flight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;

/**
 * Settings of a {@link TensorFlightServer}, from {@link TensorFlightServer#builder}; {@link #start()} starts
 * it. Defaults: {@code localhost}, a port the system chooses, no authentication, no TLS, batches of 8 MiB,
 * messages of at most 256 MiB, puts of at most 1 GiB, no memory limit beyond the parent allocator's, clients
 * dropped after 60 s without reading, no request log, and sparse puts checked with {@link Backends#get()}.
 * Not thread-safe.
 */
public final class TensorFlightServerBuilder {
    final BufferAllocator allocator;
    String host = "localhost";
    int port;
    String token;
    String user;
    String password;
    Path certificateChain;
    Path privateKey;
    long batchBytes = 8L << 20;
    int maxMessageBytes = 256 << 20;
    long maxTensorBytes = 1L << 30;
    long memoryLimit = Long.MAX_VALUE;
    Duration stallTimeout = Duration.ofSeconds(60);
    Consumer<String> requestLog = line -> { };
    Supplier<Backend> checkBackend = Backends::get;

    TensorFlightServerBuilder(BufferAllocator allocator) {
        this.allocator = Objects.requireNonNull(allocator, "allocator must not be null");
    }

    /** The address to listen on: {@code localhost} (default), {@code 0.0.0.0} for every interface. */
    public TensorFlightServerBuilder host(String host) {
        this.host = Objects.requireNonNull(host, "host must not be null");
        return this;
    }

    /** The port to listen on; 0 (default) lets the system choose ({@link TensorFlightServer#port()}). */
    public TensorFlightServerBuilder port(int port) {
        if (port < 0 || port > 65535) {
            throw new FlightSettingException("port is " + port + "; give 0 to 65535 (0: any free port)");
        }
        this.port = port;
        return this;
    }

    /** Requires the header {@code authorization: Bearer <token>} on every call. */
    public TensorFlightServerBuilder bearerToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new FlightSettingException("the bearer token is empty; give a secret of some length");
        }
        this.token = token;
        return this;
    }

    /** Accepts HTTP basic authentication with this user and password (answered with a bearer token). */
    public TensorFlightServerBuilder basicAuth(String user, String password) {
        if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
            throw new FlightSettingException("basic authentication needs a user and a password, both non-empty");
        }
        this.user = user;
        this.password = password;
        return this;
    }

    /** Serves TLS with this PEM certificate chain and PEM (PKCS #8) private key. */
    public TensorFlightServerBuilder tls(Path certificateChain, Path privateKey) {
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
    public TensorFlightServerBuilder batchBytes(long bytes) {
        this.batchBytes = positive("batchBytes", bytes);
        return this;
    }

    /** The largest message a client may send, and the largest batch it may ask for (default 256 MiB). */
    public TensorFlightServerBuilder maxMessageBytes(int bytes) {
        this.maxMessageBytes = (int) positive("maxMessageBytes", bytes);
        return this;
    }

    /** The most bytes one {@code DoPut} may bring (default 1 GiB). */
    public TensorFlightServerBuilder maxTensorBytes(long bytes) {
        this.maxTensorBytes = positive("maxTensorBytes", bytes);
        return this;
    }

    /** The most memory the server's allocator may hold (default: the parent's limit). */
    public TensorFlightServerBuilder memoryLimit(long bytes) {
        this.memoryLimit = positive("memoryLimit", bytes);
        return this;
    }

    /** How long a {@code DoGet} waits for a client that reads nothing before dropping it (default 60 s). */
    public TensorFlightServerBuilder stallTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new FlightSettingException("stallTimeout is " + timeout + "; give a positive duration");
        }
        this.stallTimeout = timeout;
        return this;
    }

    /** Receives one line per call and per server event; called from many threads. */
    public TensorFlightServerBuilder requestLog(Consumer<String> sink) {
        this.requestLog = Objects.requireNonNull(sink, "sink must not be null");
        return this;
    }

    /** The backend that checks received sparse tensors (indices inside the shape; default {@link Backends#get()}). */
    public TensorFlightServerBuilder checkBackend(Backend backend) {
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
