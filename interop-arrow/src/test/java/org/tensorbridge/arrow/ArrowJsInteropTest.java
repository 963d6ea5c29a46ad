package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * An independent Arrow implementation reads what this module writes and writes what it reads: Arrow JS
 * ({@code apache-arrow} on Node.js) checks an IPC file written here (field type, element type,
 * extension name and metadata, every value), and writes one with the same extension metadata that is
 * read here as {@code arrow.fixed_shape_tensor}.
 *
 * <p>Needs {@code node} on the PATH and the package installed with
 * {@code npm ci --prefix interop-arrow/src/test/js}. Without them the test fails when the environment
 * variable {@code CI} is {@code true}, and is skipped (with that command) otherwise.
 */
class ArrowJsInteropTest {
    private static final String INSTALL = "npm ci --prefix interop-arrow/src/test/js";
    private static final Path JS = Path.of(System.getProperty("basedir", ".")).resolve("src/test/js").toAbsolutePath();

    @RegisterExtension
    final ArrowAllocatorExtension arrow = new ArrowAllocatorExtension();

    @TempDir
    Path directory;

    private final Backend cpu = TestMemory.cpu();

    @Test
    void arrowJsReadsOurFixedShapeTensorsAndWritesOnesWeRead() throws Exception {
        requireNodeAndArrowJs();
        Path javaFile = directory.resolve("java-written.arrow");
        Path expectations = directory.resolve("expectations.json");
        Path jsFile = directory.resolve("js-written.arrow");

        float[] embeddings = new float[3 * 2 * 3];
        for (int i = 0; i < embeddings.length; i++) {
            embeddings[i] = i * 0.25f - 1f;
        }
        long[] counts = LongStream.range(0, 6).map(i -> (1L << 40) + i * 1_000_003L - 7).toArray();
        try (Tensor embeddingTensor = cpu.constant(embeddings, 3, 2, 3);
                Tensor countTensor = cpu.constant(counts, 3, 2);
                ExportedTensor embeddingColumn = ArrowExport.export(embeddingTensor, "embeddings", arrow.allocator(),
                        ExportOptions.defaults().withDimNames(List.of("H", "W")));
                // One column with the validity bitmaps read-only columns share, one (writable) with its own.
                ExportedTensor countColumn = ArrowExport.export(countTensor, "counts", arrow.allocator(),
                        ExportOptions.defaults().withAccess(Access.WRITABLE));
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(embeddingColumn.vector(),
                        countColumn.vector()));
                FileChannel out = FileChannel.open(javaFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            TensorIpc.writeFile(root, out);
        }

        int[] reply = IntStream.range(0, 12).map(i -> i * i - 20).toArray();
        String replyMetadata = "{\"shape\":[2,2],\"dim_names\":[\"r\",\"c\"]}";
        Map<String, Object> spec = Map.of(
                "columns", List.of(
                        column("embeddings", 6, "float32", "{\"shape\":[2,3],\"dim_names\":[\"H\",\"W\"]}", 3, embeddings),
                        column("counts", 2, "int64", "{\"shape\":[2]}", 3, counts)),
                "reply", column("from_js", 4, "int32", replyMetadata, 3, reply));
        new ObjectMapper().writeValue(expectations.toFile(), spec);

        runNode(javaFile, expectations, jsFile);

        try (FileChannel in = FileChannel.open(jsFile); ArrowFileReader reader = TensorIpc.openFile(in, arrow.allocator())) {
            assertTrue(reader.loadNextBatch());
            FixedShapeTensorVector vector = assertInstanceOf(FixedShapeTensorVector.class,
                    reader.getVectorSchemaRoot().getVector("from_js"), "Arrow JS's column is read as the extension type");
            assertEquals(FixedShapeTensorMetadata.parse(replyMetadata), vector.type().metadata());
            try (Tensor tensor = ArrowImport.toTensor(vector, cpu, CopyPolicy.NEVER); HostArray host = tensor.toHost()) {
                assertEquals(Shape.of(3, 2, 2), host.shape());
                assertArrayEquals(reply, host.toIntArray());
                assertEquals(vector.elements().getDataBuffer().memoryAddress(), TestMemory.address(host));
            }
        }
    }

    private static Map<String, Object> column(String name, int listSize, String elementType, String metadata, int rows,
            Object values) {
        return Map.of("name", name, "listSize", listSize, "elementType", elementType, "metadata", metadata, "rows", rows,
                "values", values);
    }

    private static void runNode(Path javaFile, Path expectations, Path jsFile) throws Exception {
        Process node = new ProcessBuilder("node", JS.resolve("fixed_shape_tensor_check.mjs").toString(),
                javaFile.toString(), expectations.toString(), jsFile.toString())
                .directory(JS.toFile()).redirectErrorStream(true).start();
        boolean finished = node.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            node.destroyForcibly();
            fail("node did not finish within 120 s");
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), "Arrow JS rejected what Java wrote:\n" + output);
        System.out.print(output);
    }

    private static void requireNodeAndArrowJs() {
        String missing = null;
        try {
            Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!version.waitFor(30, TimeUnit.SECONDS) || version.exitValue() != 0) {
                missing = "node is on the PATH but `node --version` failed";
            }
        } catch (IOException e) {
            missing = "node (Node.js 20 or later) is not on the PATH";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            missing = "interrupted while looking for node";
        }
        if (missing == null && !Files.isRegularFile(JS.resolve("node_modules/apache-arrow/package.json"))) {
            missing = "the npm package apache-arrow is not installed in " + JS;
        }
        if (missing == null) {
            return;
        }
        String message = missing + "; install it from the repository root with: " + INSTALL;
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true requires the Arrow JS interop check to run: " + message);
        }
        Assumptions.abort(message);
    }
}
