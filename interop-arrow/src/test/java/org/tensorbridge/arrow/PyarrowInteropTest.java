package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;

/**
 * The cross-checks with pyarrow 25.0.1 itself ({@link PythonPeer}), both ways: pyarrow writes the corpus
 * again and every file loads here; pyarrow reads the tensor columns written here (every codec, stream and
 * file; dimension names, permutations, {@code arrow.bool8}) and finds the logical tensors the
 * specification defines; {@code pyarrow.ipc.read_tensor} reads the {@code Tensor} messages written here,
 * and its {@code write_tensor} messages read here; {@code SparseTensor} messages go both ways as far as
 * pyarrow goes (it has no sparse IPC of its own: Arrow C++'s verifier checks each message). In CI the
 * test fails when pyarrow is missing; elsewhere it is skipped.
 */
class PyarrowInteropTest {
    @RegisterExtension
    final ArrowAllocatorExtension arrow = new ArrowAllocatorExtension();

    @TempDir
    Path folder;

    private long liveBefore;

    @BeforeEach
    void recordBackendMemory() {
        liveBefore = TestMemory.liveBytes(TestMemory.cpu());
    }

    @Test
    void pyarrowWritesTheCorpusAgainAndEveryFileLoads() throws Exception {
        PythonPeer.run("corpus", folder);
        JsonNode expectations = PyarrowCorpusTest.expectations(folder);
        assertEquals(PyarrowCorpusTest.expectations(PyarrowCorpusTest.CORPUS).get("files"), expectations.get("files"),
                "the committed corpus is what this pyarrow writes");
        for (var files = expectations.get("files").properties().iterator(); files.hasNext();) {
            Map.Entry<String, JsonNode> file = files.next();
            PyarrowCorpusTest.readsAsPyarrowWroteIt(folder, file.getKey(), file.getValue());
        }
    }

    @Test
    void pyarrowReadsTheTensorColumnsWrittenHere() throws Exception {
        Map<String, Object> files = new LinkedHashMap<>();
        for (IpcCompression compression : IpcCompression.values()) {
            for (boolean file : new boolean[] {true, false}) {
                String name = "columns_" + compression.name().toLowerCase(java.util.Locale.ROOT)
                        + (file ? ".arrow" : ".arrows");
                files.put(name, writeColumns(folder.resolve(name), file, compression));
            }
        }
        new ObjectMapper().writeValue(folder.resolve("columns.json").toFile(), files);
        String output = PythonPeer.run("check-columns", folder);
        assertTrue(output.contains("checked columns_zstd.arrows"), output);
        assertEquals(liveBefore, TestMemory.liveBytes(TestMemory.cpu()));
    }

    /** Writes one root of seven tensor columns; returns what pyarrow must find in each. */
    private Map<String, Object> writeColumns(Path path, boolean file, IpcCompression compression) throws Exception {
        var cpu = TestMemory.cpu();
        Map<String, Object> expected = new LinkedHashMap<>();
        List<ExportedTensor> columns = new ArrayList<>();
        try (Tensor embedding = cast(sequence(18, 0.25), DType.FLOAT32, 3, 2, 3);
                Tensor transposed = cast(longs(36), DType.INT32, 3, 3, 4);
                Tensor cycled = cpu.constant(sequence(72, 1), 3, 2, 3, 4);
                Tensor flags = cpu.constant(new boolean[] {true, false, false, true, true, true}, 3, 2);
                Tensor bytes = cast(longs(12), DType.UINT8, 3, 4);
                Tensor halves = cast(sequence(6, -0.5), DType.FLOAT16, 3, 2)) {
            columns.add(export("embedding", embedding, ExportOptions.defaults().withDimNames(List.of("H", "W")),
                    "float", expected));
            columns.add(export("transposed", transposed, ExportOptions.defaults().withPermutation(1, 0), "int32",
                    expected));
            columns.add(export("cycled", cycled, ExportOptions.defaults().withPermutation(1, 2, 0)
                    .withDimNames(List.of("C", "H", "W")), "double", expected));
            columns.add(export("flags", flags, ExportOptions.defaults(), "extension<arrow.bool8>", expected));
            columns.add(export("bytes", bytes, ExportOptions.defaults(), "uint8", expected));
            columns.add(export("halves", halves, ExportOptions.defaults(), "halffloat", expected));
            // Writable: validity bitmaps of its own, where the read-only columns above share theirs.
            columns.add(export("owned", embedding, ExportOptions.defaults().withAccess(org.tensorbridge.Access.WRITABLE),
                    "float", expected));
            List<FieldVector> vectors = new ArrayList<>();
            columns.forEach(c -> vectors.add(c.vector()));
            try (VectorSchemaRoot root = new VectorSchemaRoot(vectors)) {
                if (file) {
                    try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        TensorIpc.writeFile(root, out, compression);
                    }
                } else {
                    try (OutputStream out = Files.newOutputStream(path)) {
                        TensorIpc.writeStream(root, out, compression);
                    }
                }
            }
        }
        return expected;
    }

    /** Exports {@code tensor} and records its type and logical values (read back here) for pyarrow. */
    private ExportedTensor export(String name, Tensor tensor, ExportOptions options, String valueType,
            Map<String, Object> expected) {
        ExportedTensor exported = ArrowExport.export(tensor, name, arrow.allocator(), options);
        FixedShapeTensorMetadata metadata = exported.vector().type().metadata();
        try (HostArray logical = ArrowImport.toHostArray(exported.vector(), TestMemory.cpu(), CopyPolicy.IF_NEEDED,
                org.tensorbridge.Access.READ_ONLY)) {
            Map<String, Object> column = new LinkedHashMap<>();
            column.put("value_type", valueType);
            column.put("shape", metadata.shape().toArray());
            column.put("permutation", metadata.permutation().orElse(null));
            column.put("dim_names", metadata.dimNames().orElse(null));
            column.put("logical_shape", logical.shape().toArray());
            column.put("values", logical.convertToDoubleArray());
            expected.put(name, column);
        }
        return exported;
    }

    @Test
    void pyarrowsTensorMessagesReadHereAndOursReadInPyarrow() throws Exception {
        PythonPeer.run("tensors-write", folder);
        JsonNode written = new ObjectMapper().readTree(folder.resolve("tensors.json").toFile());
        for (var names = written.fieldNames(); names.hasNext();) {
            TensorMessageTest.readsAsPyarrowWroteIt(folder, names.next());
        }
        Path ours = Files.createDirectory(folder.resolve("ours"));
        var cpu = TestMemory.cpu();
        Map<String, Object> cases = new LinkedHashMap<>();
        try (Tensor floats = cast(sequence(6, 1.5), DType.FLOAT32, 2, 3);
                Tensor longs = cpu.constant(longs(24), 2, 3, 4);
                Tensor bytes = cast(longs(5), DType.UINT8, 5);
                Tensor halves = cast(sequence(4, 0.5), DType.FLOAT16, 2, 2);
                Tensor flags = cpu.constant(new boolean[] {true, false, true});
                Tensor empty = cpu.zeros(DType.FLOAT64, Shape.of(0, 3))) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("float32", floats);
            tensors.put("int64_named", longs);
            tensors.put("uint8", bytes);
            tensors.put("float16", halves);
            tensors.put("bool_as_uint8", flags);
            tensors.put("float64_empty", empty);
            for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
                Tensor tensor = entry.getValue();
                List<String> names = entry.getKey().endsWith("_named") ? List.of("batch", "rows", "columns") : null;
                try (FileChannel out = FileChannel.open(ours.resolve(entry.getKey() + ".tensor"),
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                        HostArray host = tensor.toHost()) {
                    TensorMessage.write(tensor, names, out);
                    Map<String, Object> expected = new LinkedHashMap<>();
                    expected.put("dtype", tensor.dtype() == DType.BOOL ? "uint8" : tensor.dtype().displayName());
                    expected.put("shape", tensor.shape().toArray());
                    expected.put("values", host.convertToDoubleArray());
                    expected.put("row_major", true);
                    expected.put("dim_names", names);
                    cases.put(entry.getKey(), expected);
                }
            }
        }
        new ObjectMapper().writeValue(ours.resolve("tensors.json").toFile(), cases);
        PythonPeer.run("tensors-check", ours);
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    @Test
    void sparseTensorMessagesGoBothWays() throws Exception {
        PythonPeer.run("sparse-write", folder);
        var cpu = TestMemory.cpu();
        for (String name : List.of("coo_int32", "csr", "csc")) {
            try (FileChannel in = FileChannel.open(folder.resolve(name + ".sparse"));
                    SparseTensor sparse = SparseTensorMessage.read(in, cpu);
                    Tensor dense = sparse.toDense(12);
                    HostArray host = dense.toHost()) {
                assertArrayEquals(new double[] {0, -2.5, 0, 0, 4, 0, 0, 1, 0, 0, 0, 4.5}, host.toDoubleArray(), name);
            }
        }
        Path ours = Files.createDirectory(folder.resolve("ours"));
        double[][] dense = {{0, -2.5, 0, 0}, {4, 0, 0, 1}, {0, 0, 0, 4.5}};
        Map<String, Object> cases = new LinkedHashMap<>();
        try (SparseTensor unsorted = cpu.sparseCoo(new long[][] {{2, 3}, {0, 1}, {1, 0}, {1, 3}},
                new double[] {4.5, -2.5, 4, 1}, 3, 4);
                SparseTensor canonical = unsorted.coalesce();
                SparseValue value = unsorted.toSparseValue();
                FileChannel coo = FileChannel.open(ours.resolve("coo.sparse"), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                FileChannel canonicalCoo = FileChannel.open(ours.resolve("coo_canonical.sparse"),
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                FileChannel csr = FileChannel.open(ours.resolve("csr.sparse"), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
            SparseTensorMessage.writeCoo(value, coo);
            SparseTensorMessage.writeCoo(canonical, canonicalCoo);
            SparseTensorMessage.writeCsr(unsorted, csr);
            cases.put("coo", Map.of("format", "coo", "shape", List.of(3, 4), "canonical", false,
                    "coords", List.of(List.of(2, 3), List.of(0, 1), List.of(1, 0), List.of(1, 3)),
                    "data", List.of(4.5, -2.5, 4.0, 1.0), "dense", dense));
            cases.put("coo_canonical", Map.of("format", "coo", "canonical", true,
                    "coords", List.of(List.of(0, 1), List.of(1, 0), List.of(1, 3), List.of(2, 3)), "dense", dense));
            cases.put("csr", Map.of("format", "csr", "shape", List.of(3, 4), "dense", dense));
        }
        new ObjectMapper().writeValue(ours.resolve("sparse.json").toFile(), cases);
        PythonPeer.run("sparse-check", ours);
        assertEquals(liveBefore, TestMemory.liveBytes(cpu));
    }

    /** A tensor of {@code values} as {@code dtype}, the intermediate closed. */
    private static Tensor cast(double[] values, DType dtype, long... shape) {
        try (Tensor doubles = TestMemory.cpu().constant(values, shape)) {
            return doubles.cast(dtype);
        }
    }

    private static Tensor cast(long[] values, DType dtype, long... shape) {
        try (Tensor longs = TestMemory.cpu().constant(values, shape)) {
            return longs.cast(dtype);
        }
    }

    private static double[] sequence(int count, double step) {
        double[] values = new double[count];
        Arrays.setAll(values, i -> i * step - 1);
        return values;
    }

    private static long[] longs(int count) {
        long[] values = new long[count];
        Arrays.setAll(values, i -> i * 3L);
        return values;
    }
}
