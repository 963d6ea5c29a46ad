package org.tensorbridge.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.RootAllocator;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.flight.FlightSettingException;
import org.tensorbridge.flight.TensorFlightServer;
import org.tensorbridge.flight.TensorFlightServerBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tensorbridge serve}: publishes the files of a folder on Arrow Flight ({@link FolderPublication}) and
 * serves in the foreground, a line per request on standard output, until Ctrl-C (or any signal that runs the
 * JVM's shutdown hooks), when a hook closes the server and its allocator and says whether every buffer was
 * given back.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Publishes the .npy, .npz and Arrow IPC files of FOLDER on Arrow Flight, each under its name "
            + "without the extension, and serves them (and what clients put) in the foreground, a line per request. "
            + "Ctrl-C stops it.",
            "From Python: flight.connect(\"grpc://localhost:8815\").do_get(flight.Ticket(b\"NAME\")).read_all()"})
final class ServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FOLDER",
            description = "Folder whose .npy, .npz and Arrow files to publish (none: serve only what clients put).")
    private Path folder;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8815",
            description = "Port to listen on (default ${DEFAULT-VALUE}; 0: any free port).")
    private int port;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost",
            description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    private String host;

    @Option(names = "--token", paramLabel = "SECRET",
            description = "Require the header 'authorization: Bearer SECRET' on every call.")
    private String token;

    @Option(names = "--user", paramLabel = "NAME:PASSWORD",
            description = "Accept basic authentication with this user and password (answered with a bearer token).")
    private String user;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve TLS with this certificate chain.")
    private Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key (PKCS #8 PEM) of --tls-cert.")
    private Path tlsKey;

    @Option(names = "--max-message-bytes", paramLabel = "SIZE", converter = ByteSize.class,
            description = "Largest message a client may send, and largest batch it may ask for (default 256MiB).")
    private Long maxMessageBytes;

    @Option(names = "--max-tensor-bytes", paramLabel = "SIZE", converter = ByteSize.class,
            description = "Most bytes one put may bring (default 1GiB).")
    private Long maxTensorBytes;

    @Option(names = "--batch-bytes", paramLabel = "SIZE", converter = ByteSize.class,
            description = "Data bytes per batch sent, unless the client asks for another size (default 8MiB).")
    private Long batchBytes;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together; give both");
        }
        if (folder != null && !Files.isDirectory(folder)) {
            throw new ParameterException(spec.commandLine(), "FOLDER " + folder + " is not a folder");
        }
        Backend backend = SlowStep.run("starting the cpu backend", () -> Backends.get("cpu"));
        RootAllocator allocator = new RootAllocator();
        TensorFlightServer server;
        try {
            server = settings(allocator, out).start();
        } catch (FlightSettingException e) {
            allocator.close();
            spec.commandLine().getErr().println("tensorbridge serve: " + e.getMessage());
            return 2;
        }
        Thread stop = new Thread(() -> stop(server, allocator, out), "tensorbridge-serve-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        List<String> names = folder == null ? List.of()
                : FolderPublication.publish(folder, server, allocator, backend, out);
        out.println("tensorbridge serve: " + names.size() + " names published; listening on "
                + server.location().getUri() + " (Ctrl-C stops it)");
        out.flush();
        server.awaitTermination();
        return 0;
    }

    private TensorFlightServerBuilder settings(RootAllocator allocator, PrintWriter out) {
        TensorFlightServerBuilder builder = TensorFlightServer.builder(allocator).host(host).port(port)
                .requestLog(line -> {
                    out.println(line);
                    out.flush();
                });
        if (token != null) {
            builder.bearerToken(token);
        }
        if (user != null) {
            int colon = user.indexOf(':');
            if (colon <= 0) {
                throw new ParameterException(spec.commandLine(), "--user is NAME:PASSWORD, for example alice:s3cret");
            }
            builder.basicAuth(user.substring(0, colon), user.substring(colon + 1));
        }
        if (tlsCertificate != null) {
            builder.tls(tlsCertificate, tlsKey);
        }
        if (maxMessageBytes != null) {
            if (maxMessageBytes > Integer.MAX_VALUE) {
                throw new ParameterException(spec.commandLine(), "--max-message-bytes is at most 2GiB - 1 (gRPC's "
                        + "limit)");
            }
            builder.maxMessageBytes(maxMessageBytes.intValue());
        }
        if (maxTensorBytes != null) {
            builder.maxTensorBytes(maxTensorBytes);
        }
        if (batchBytes != null) {
            builder.batchBytes(batchBytes);
        }
        return builder;
    }

    /** The shutdown hook: closes the server (in-flight calls get Flight's grace period), then the allocator. */
    private static void stop(TensorFlightServer server, RootAllocator allocator, PrintWriter out) {
        out.println("tensorbridge serve: stopping");
        out.flush();
        try {
            server.close();
            allocator.close();
            out.println("tensorbridge serve: stopped; every buffer given back");
        } catch (IllegalStateException leak) {
            out.println("tensorbridge serve: stopped, but memory was not given back: " + leak.getMessage());
        }
        out.flush();
    }
}
