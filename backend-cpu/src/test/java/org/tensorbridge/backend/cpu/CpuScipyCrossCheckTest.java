package org.tensorbridge.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.CsrValue;
import org.tensorbridge.HostArray;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;

/**
 * Random sparse cases computed by the CPU backend and by SciPy (Debian's python3-scipy), compared:
 * coalesce, sparse x dense matmul, sparse + sparse, sums along both axes, transpose and CSR. In CI
 * SciPy must be there; elsewhere a missing SciPy skips the test with the package to install.
 */
class CpuScipyCrossCheckTest {
    private static final long SEED = 20261126L;
    private static final int CASES = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Backend cpu = Backends.get("cpu");

    /** One random case: COO parts with duplicates in any order, and a dense right-hand side. */
    private record Case(int m, int k, int n, long[][] a, double[] aValues, long[][] b, double[] bValues, double[] d) {
    }

    private static Case randomCase(Random random) {
        int m = 1 + random.nextInt(8);
        int k = 1 + random.nextInt(8);
        int n = 1 + random.nextInt(5);
        int na = random.nextInt(m * k + 3);
        int nb = random.nextInt(m * k + 3);
        return new Case(m, k, n, indices(random, na, m, k), values(random, na), indices(random, nb, m, k),
                values(random, nb), values(random, k * n));
    }

    private static long[][] indices(Random random, int count, int m, int k) {
        long[][] indices = new long[count][];
        for (int i = 0; i < count; i++) {
            indices[i] = new long[] {random.nextInt(m), random.nextInt(k)};
        }
        return indices;
    }

    private static double[] values(Random random, int count) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = (random.nextInt(33) - 16) / 4.0;
        }
        return values;
    }

    @Test
    void sparseResultsMatchScipy(@TempDir Path folder) throws Exception {
        String python = findPython();
        Random random = new Random(SEED);
        List<Case> cases = new ArrayList<>();
        ArrayNode input = JSON.createArrayNode();
        for (int i = 0; i < CASES; i++) {
            Case c = randomCase(random);
            cases.add(c);
            ObjectNode node = input.addObject();
            node.putArray("shape").add(c.m()).add(c.k());
            node.set("a", part(c.a(), c.aValues()));
            node.set("b", part(c.b(), c.bValues()));
            node.set("d", JSON.valueToTree(rows(c.d(), c.k(), c.n())));
        }
        Path in = folder.resolve("cases.json");
        Path out = folder.resolve("scipy.json");
        JSON.writeValue(in.toFile(), input);
        Path script = folder.resolve("scipy_cross_check.py");
        try (InputStream resource = getClass().getResourceAsStream("scipy_cross_check.py")) {
            Files.copy(resource, script);
        }
        Process process = new ProcessBuilder(python, script.toString(), in.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "SciPy did not finish");
        assertEquals(0, process.exitValue(), "SciPy failed: " + log);
        JsonNode expected = JSON.readTree(out.toFile());
        for (int i = 0; i < CASES; i++) {
            compare(cases.get(i), expected.get(i), "case " + i + " (seed " + SEED + ")");
        }
    }

    private void compare(Case c, JsonNode scipy, String what) {
        try (SparseTensor a = cpu.sparseCoo(c.a(), c.aValues(), c.m(), c.k());
                SparseTensor b = cpu.sparseCoo(c.b(), c.bValues(), c.m(), c.k());
                Tensor d = cpu.constant(c.d(), c.k(), c.n());
                SparseTensor coalesced = a.coalesce();
                SparseValue value = coalesced.toSparseValue();
                CsrValue csr = value.toCsr();
                Tensor product = a.matmul(d);
                SparseTensor sum = a.add(b);
                Tensor sum0 = a.sum(0);
                Tensor sum1 = a.sum(1);
                SparseTensor transposed = a.transpose()) {
            assertArrayEquals(flat(scipy.get("coalesce_indices")), toLongs(value.indices()), what + ": coalesce indices");
            assertArrayEquals(doubles(scipy.get("coalesce_values")), value.values().toDoubleArray(), 1e-12,
                    what + ": coalesce values");
            assertArrayEquals(longs(scipy.get("csr_indptr")), csr.indptr().toLongArray(), what + ": CSR indptr");
            assertArrayEquals(longs(scipy.get("csr_indices")), csr.indices().toLongArray(), what + ": CSR indices");
            assertArrayEquals(doubles(scipy.get("csr_data")), csr.values().toDoubleArray(), 1e-12, what + ": CSR data");
            assertArrayEquals(flatDoubles(scipy.get("matmul")), host(product), 1e-9, what + ": matmul");
            assertArrayEquals(flatDoubles(scipy.get("add")), dense(sum), 1e-12, what + ": add");
            assertArrayEquals(doubles(scipy.get("sum0")), host(sum0), 1e-12, what + ": sum(0)");
            assertArrayEquals(doubles(scipy.get("sum1")), host(sum1), 1e-12, what + ": sum(1)");
            assertArrayEquals(flatDoubles(scipy.get("transpose")), dense(transposed), 1e-12, what + ": transpose");
        }
    }

    private static double[] host(Tensor tensor) {
        try (HostArray array = tensor.toHost()) {
            return array.toDoubleArray();
        }
    }

    private static double[] dense(SparseTensor tensor) {
        try (Tensor dense = tensor.toDense(tensor.denseShape().elementCount())) {
            return host(dense);
        }
    }

    private static long[] toLongs(HostArray array) {
        return array.toLongArray();
    }

    private static ObjectNode part(long[][] indices, double[] values) {
        ObjectNode node = JSON.createObjectNode();
        node.set("indices", JSON.valueToTree(indices));
        node.set("values", JSON.valueToTree(values));
        return node;
    }

    private static double[][] rows(double[] flat, int rows, int columns) {
        double[][] out = new double[rows][columns];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * columns, out[r], 0, columns);
        }
        return out;
    }

    private static long[] longs(JsonNode node) {
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asLong();
        }
        return out;
    }

    private static double[] doubles(JsonNode node) {
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asDouble();
        }
        return out;
    }

    private static long[] flat(JsonNode rows) {
        List<Long> out = new ArrayList<>();
        rows.forEach(row -> row.forEach(v -> out.add(v.asLong())));
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static double[] flatDoubles(JsonNode rows) {
        List<Double> out = new ArrayList<>();
        rows.forEach(row -> row.forEach(v -> out.add(v.asDouble())));
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Debian's interpreter first: python3-scipy installs there, not into a pyenv. */
    private static String findPython() throws IOException, InterruptedException {
        for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import scipy.sparse, numpy").redirectErrorStream(true)
                        .start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(1, TimeUnit.MINUTES) && probe.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException notThere) {
                // Try the next interpreter.
            }
        }
        String why = "SciPy is not installed for python3; install the Debian packages python3-scipy python3-numpy";
        if ("true".equals(System.getenv("CI"))) {
            fail(why + " (.ci/run installs them)");
        }
        Assumptions.abort(why);
        return null;
    }
}
