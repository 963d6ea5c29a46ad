package org.tensorbridge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.arrow.ArrowExport;
import org.tensorbridge.arrow.ExportedTensor;
import org.tensorbridge.arrow.TensorIpc;
import org.tensorbridge.flight.FetchedTensor;
import org.tensorbridge.flight.FlightCallException;
import org.tensorbridge.flight.FlightTensorInfo;
import org.tensorbridge.flight.TensorFlightClient;

/**
 * {@code tensorbridge serve} as a user runs it: a JVM of its own publishing a folder ({@code .npy} and Arrow
 * files) with a token, reached by a client, logging a line per request, and stopped by SIGINT (Ctrl-C), whose
 * shutdown hook closes the server and its allocator and says every buffer was given back.
 */
class ServeCommandTest {
    private static final Pattern LISTENING = Pattern.compile("listening on grpc\\+tcp://localhost:(\\d+)");

    @TempDir
    Path folder;

    @Test
    void servesAFolderUntilCtrlC() throws Exception {
        Backend cpu = Backends.get("cpu");
        float[] values = new float[48];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f;
        }
        try (RootAllocator memory = new RootAllocator();
                Tensor embeddings = cpu.constant(values, 12, 4);
                HostArray host = embeddings.toHost()) {
            org.tensorbridge.numpy.Npy.write(host, folder.resolve("embeddings.npy"));
            try (ExportedTensor column = ArrowExport.export(embeddings, "images", memory);
                    VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(column.vector()));
                    FileChannel out = FileChannel.open(folder.resolve("images.arrow"), StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                TensorIpc.writeFile(root, out);
            }
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                TensorbridgeCommand.class.getName(), "serve", "--port", "0", "--token", "s3cret", folder.toString());
        Process serve = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(serve.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null;) {
                    synchronized (output) {
                        output.add(line);
                        output.notifyAll();
                    }
                }
            } catch (java.io.IOException ended) {
                // the process is gone
            }
        });
        reader.start();
        try {
            int port = Integer.parseInt(awaitLine(output, LISTENING).group(1));
            Location location = Location.forGrpcInsecure("localhost", port);
            try (RootAllocator memory = new RootAllocator()) {
                try (TensorFlightClient client = TensorFlightClient.builder(location, memory).bearerToken("s3cret")
                        .connect()) {
                    assertEquals(List.of("embeddings", "images"), client.list().stream().map(FlightTensorInfo::name)
                            .collect(Collectors.toList()));
                    for (String name : List.of("embeddings", "images")) {
                        try (FetchedTensor fetched = client.get(name, cpu, CopyPolicy.NEVER);
                                HostArray back = fetched.tensor().toHost()) {
                            assertEquals(Shape.of(12, 4), fetched.tensor().shape());
                            assertEquals(DType.FLOAT32, fetched.tensor().dtype());
                            assertArrayEquals(values, back.toFloatArray());
                        }
                    }
                }
                try (TensorFlightClient stranger = TensorFlightClient.builder(location, memory).connect()) {
                    FlightCallException refused = assertThrows(FlightCallException.class, stranger::list);
                    assertEquals(FlightStatusCode.UNAUTHENTICATED, refused.status());
                }
            }
            awaitLine(output, Pattern.compile("DoGet images, 1 batch, 192 bytes -> OK"));
            awaitLine(output, Pattern.compile("refused UNAUTHENTICATED"));
            new ProcessBuilder("kill", "-INT", Long.toString(serve.pid())).start().waitFor();
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), () -> "serve did not stop on SIGINT: " + output);
            reader.join(10_000);
            assertEquals(130, serve.exitValue(), () -> "128 + SIGINT, after the shutdown hook: " + output);
            synchronized (output) {
                assertTrue(output.contains("tensorbridge serve: stopped; every buffer given back"), output::toString);
            }
        } finally {
            serve.destroyForcibly();
        }
    }

    private static Matcher awaitLine(List<String> output, Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        synchronized (output) {
            while (true) {
                for (String line : output) {
                    Matcher matcher = pattern.matcher(line);
                    if (matcher.find()) {
                        return matcher;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("serve printed no line matching " + pattern + ":\n"
                            + String.join("\n", output));
                }
                output.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }
}
