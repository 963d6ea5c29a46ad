package org.tensorbridge.flight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;

/**
 * The cross-checks with {@code pyarrow.flight} 25.0.1 ({@link PythonPeer}, {@code src/test/python/flight_peer.py}):
 * pyarrow lists, gets (as {@code FixedShapeTensorType}, checked with {@code to_numpy_ndarray()}), puts and
 * deletes against the Java server, in plaintext, over TLS with a token, and with basic authentication; the Java
 * client gets from (and puts to) a pyarrow server; the README's three Python lines reach a server. In CI the
 * test fails when pyarrow is missing; elsewhere it is skipped.
 */
class PyarrowFlightTest {
    @RegisterExtension
    final FlightPeers peers = new FlightPeers();

    @TempDir
    Path folder;

    @Test
    void pyarrowListsGetsPutsAndDeletesAgainstTheJavaServer() throws Exception {
        TensorFlightServer server = peers.server();
        publish(server);
        String output = PythonPeer.run(PythonPeer.peer("client", "grpc://localhost:" + server.port()));
        assertTrue(output.contains("checked do_get ramp with Ticket(b'ramp')"), output);
        assertTrue(output.contains("checked do_action delete"), output);
        assertPythonPut(server, b -> { });
    }

    @Test
    void pyarrowReachesTheServerOverTlsWithAToken() throws Exception {
        TestCertificates tls = TestCertificates.in(folder);
        TensorFlightServer server = peers.server(b -> b.tls(tls.certificate(), tls.key()).bearerToken("py-t0ken"));
        publish(server);
        String output = PythonPeer.run(PythonPeer.peer("client", "grpc+tls://localhost:" + server.port(), "--token",
                "py-t0ken", "--tls-root", tls.certificate().toString()));
        assertTrue(output.endsWith("ok\n"), output);
        assertPythonPut(server, b -> b.trustedCertificates(tls.certificate()).bearerToken("py-t0ken"));
    }

    @Test
    void pyarrowAuthenticatesWithUserAndPassword() throws Exception {
        TensorFlightServer server = peers.server(b -> b.basicAuth("alice", "pa55"));
        publish(server);
        String output = PythonPeer.run(PythonPeer.peer("client", "grpc://localhost:" + server.port(), "--user", "alice",
                "--password", "pa55"));
        assertTrue(output.endsWith("ok\n"), output);
        peers.awaitLogLine(line -> line.contains("DoPut from_python") && line.contains("(alice, "));
    }

    @Test
    void theJavaClientGetsFromAndPutsToAPyarrowServer() throws Exception {
        Process python = new ProcessBuilder(PythonPeer.peer("server")).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (RootAllocator memory = new RootAllocator()) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(python.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = lines.readLine();
            assertTrue(first != null && first.startsWith("port "), () -> "the pyarrow server said " + first);
            Location location = Location.forGrpcInsecure("127.0.0.1", Integer.parseInt(first.substring(5).trim()));
            try (TensorFlightClient client = TensorFlightClient.builder(location, memory).connect()) {
                FlightTensorInfo info = client.describe("from_pyarrow");
                assertEquals(TensorKind.DENSE, info.kind(), "described from its column: one fixed_shape_tensor");
                assertEquals(Optional.of(Shape.of(6, 2, 3)), info.shape());
                try (FetchedTensor fetched = client.get("from_pyarrow", TestTensors.cpu(), CopyPolicy.NEVER)) {
                    assertEquals(Sharing.SHARED, fetched.sharing(), "one batch, imported where Flight received it");
                    assertEquals(Shape.of(6, 2, 3), fetched.tensor().shape());
                    assertArrayEquals(scaled(36, 0.25f), TestTensors.values(fetched.tensor()));
                }
                try (Tensor tensor = TestTensors.ramp(TestTensors.cpu(), 4, 5, 2)) {
                    client.put("from_java", tensor);
                }
                try (FetchedTensor back = client.get("from_java", TestTensors.cpu(), CopyPolicy.NEVER)) {
                    assertArrayEquals(TestTensors.ramp(4, 10), TestTensors.values(back.tensor()),
                            "put to pyarrow and read back from it");
                }
            }
            assertEquals(0, memory.getAllocatedMemory(), memory::toVerboseString);
        } finally {
            python.getOutputStream().close(); // the peer stops when its standard input closes
            if (!python.waitFor(30, TimeUnit.SECONDS)) {
                python.destroyForcibly();
            }
        }
    }

    @Test
    void theReadmeLinesReachAServer() throws Exception {
        TensorFlightServer server = peers.server();
        try (Tensor embeddings = TestTensors.ramp(TestTensors.cpu(), 0, 100, 16)) {
            server.publish("embeddings", embeddings);
        }
        String lines = readmePython();
        assertEquals(3, lines.strip().split("\n").length, () -> "the README promises three lines:\n" + lines);
        Path script = folder.resolve("readme.py");
        Files.writeString(script, lines.replace("localhost:8815", "localhost:" + server.port())
                + "\nprint(embeddings.shape, embeddings.dtype, float(embeddings.sum()))\n");
        String output = PythonPeer.run(List.of(PythonPeer.find(), script.toString()));
        // sum of i * 0.5 for i < 1600
        assertEquals("(100, 16) float32 639600.0", output.strip());
    }

    /** The Python block of the README's section "Across machines: Arrow Flight". */
    static String readmePython() throws Exception {
        String readme = Files.readString(PythonPeer.MODULE.getParent().resolve("README.md"));
        int section = readme.indexOf("## Across machines: Arrow Flight");
        assertTrue(section >= 0, "README.md has no section \"Across machines: Arrow Flight\"");
        Matcher block = Pattern.compile("```python\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(section), "the section has no ```python block");
        return block.group(1);
    }

    private static void publish(TensorFlightServer server) {
        try (Tensor ramp = TestTensors.ramp(TestTensors.cpu(), 1, 4, 3, 2)) {
            server.publish("ramp", ramp);
        }
        try (SparseTensor sparse = TestTensors.cpu().sparseCoo(new long[][] {{0, 1}, {2, 3}, {4, 0}},
                new float[] {1.5f, -2f, 3f}, 5, 4)) {
            server.publish("sparse", sparse);
        }
    }

    /** What pyarrow put as "from_python" (float32 [4, 2, 3], element i = i * 2), read here. */
    private void assertPythonPut(TensorFlightServer server, Consumer<TensorFlightClient.Builder> credentials) {
        assertEquals(Shape.of(4, 2, 3), server.describe("from_python").orElseThrow().shape().orElseThrow());
        try (FetchedTensor fetched = peers.client(server, credentials).get("from_python", TestTensors.cpu(),
                CopyPolicy.NEVER)) {
            assertArrayEquals(scaled(24, 2), TestTensors.values(fetched.tensor()));
        }
    }

    private static float[] scaled(int count, float step) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = i * step;
        }
        return values;
    }
}
