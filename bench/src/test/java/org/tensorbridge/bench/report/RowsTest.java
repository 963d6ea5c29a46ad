package org.tensorbridge.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.tensorbridge.bench.P1SharedConversion;
import org.tensorbridge.bench.P2CopyConversion;
import org.tensorbridge.bench.P3GpuDeviceToHost;
import org.tensorbridge.bench.P4EagerArithmetic;
import org.tensorbridge.bench.P4bGraphSession;
import org.tensorbridge.bench.P5GpuFusedGraph;
import org.tensorbridge.bench.P6ArrowInterop;
import org.tensorbridge.bench.P7SparseMatmul;
import org.tensorbridge.bench.P8aTensorflowEager;
import org.tensorbridge.bench.P8bTensorflowShare;
import org.tensorbridge.bench.P8cTensorflowSession;
import org.tensorbridge.bench.P9FlightTransfer;

/**
 * The rows read real benchmark names: given a result for every benchmark method and parameter of the
 * bench classes (as JMH's JSON writes them) and every NumPy figure, no line is left without a result.
 */
class RowsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Class<?>[] ALL = {P1SharedConversion.class, P2CopyConversion.class, P3GpuDeviceToHost.class,
        P4EagerArithmetic.class, P4bGraphSession.class, P5GpuFusedGraph.class, P6ArrowInterop.class,
        P7SparseMatmul.class, P8aTensorflowEager.class, P8bTensorflowShare.class, P8cTensorflowSession.class,
        P9FlightTransfer.class};

    @TempDir
    Path dir;

    @Test
    void everyLineFindsItsBenchmarksAndPeers() throws IOException {
        JmhResults jmh = JmhResults.read(writeJmhJson(ALL));
        PeerResults peers = PeerResults.read(writeNumpyJson());
        for (Row row : Rows.all()) {
            for (Line line : row.lines(jmh, peers)) {
                assertFalse(line.verdict() == Verdict.NO_RESULT, () -> row.id() + " line '" + line.measure()
                        + "' against '" + line.baseline() + "' found no result: a benchmark or peer name is misspelt");
            }
        }
    }

    @Test
    void everyRowOfTheIssueIsMeasured() {
        assertEquals(List.of("P1", "P2", "P3", "P4", "P4b", "P5", "P6", "P7", "P8", "P9"),
                Rows.all().stream().map(Row::id).collect(Collectors.toList()));
        assertEquals(List.of(), Rows.all().stream().filter(r -> r.notMeasuredBecause() != null).map(Row::id)
                .collect(Collectors.toList()));
    }

    @Test
    void withoutOpenClTheGpuRowsSaySo() throws IOException {
        OpenClRow none = new OpenClRow("none: no OpenCL platform");
        List<String> unmeasured = Rows.all(none).stream().filter(r -> r.notMeasuredBecause() != null).map(Row::id)
                .collect(Collectors.toList());
        assertEquals(List.of("P3", "P5"), unmeasured);
        String md = new BenchmarksReport(JmhResults.read(writeJmhJson(P1SharedConversion.class)),
                PeerResults.read(writeNumpyJson()), Map.of("command", "c", "opencl", none.probe()),
                new Machine(2, "Test CPU", "1.0 GiB", "Linux")).markdown();
        assertTrue(md.contains("| P3 | "), md);
        assertTrue(md.contains("not measured: no OpenCL device (no OpenCL platform)"), md);
    }

    @Test
    void onPoclTheGpuRowsSayTheyDescribeTheCpu() {
        OpenClRow pocl = new OpenClRow("Portable Computing Language (OpenCL 3.0 PoCL 3.1) / pthread-haswell");
        Rows.all(pocl).stream().filter(r -> r.id().equals("P3") || r.id().equals("P5"))
                .forEach(r -> assertTrue(r.measure().contains("describe the CPU"), r.measure()));
    }

    @Test
    void theReportHasEveryRowTheMachineAndTheCommand() throws IOException {
        JmhResults jmh = JmhResults.read(writeJmhJson(ALL));
        String md = new BenchmarksReport(jmh, PeerResults.read(writeNumpyJson()),
                Map.of("command", "bench/run-short-suite.sh", "finished", "2026-01-01T00:00:00Z"),
                new Machine(2, "Test CPU", "1.0 GiB", "Linux")).markdown();
        for (Row row : Rows.all()) {
            assertTrue(md.contains("| " + row.id() + " | "), row.id());
        }
        assertTrue(!md.contains("not yet measured"), md);
        assertTrue(md.contains("- Processors (`nproc`): 2"));
        assertTrue(md.contains("- CPU: Test CPU"));
        assertTrue(md.contains("- JDK: 17.0.99"));
        assertTrue(md.contains("`bench/run-short-suite.sh`"));
    }

    /** One JMH result (1 µs/op, 100 B/op) per benchmark method and parameter value. */
    private Path writeJmhJson(Class<?>... benchmarks) throws IOException {
        ArrayNode results = JSON.createArrayNode();
        for (Class<?> type : benchmarks) {
            Field param = List.of(type.getFields()).stream().filter(f -> f.isAnnotationPresent(Param.class))
                    .findFirst().orElseThrow();
            for (Method method : type.getMethods()) {
                if (!method.isAnnotationPresent(Benchmark.class)) {
                    continue;
                }
                for (String value : param.getAnnotation(Param.class).value()) {
                    ObjectNode result = results.addObject();
                    result.put("benchmark", type.getName() + "." + method.getName());
                    result.put("mode", "avgt");
                    result.put("jdkVersion", "17.0.99");
                    result.put("jmhVersion", "1.37");
                    result.putArray("jvmArgs").add("-Xmx1g");
                    result.putObject("params").put(param.getName(), value);
                    ObjectNode primary = result.putObject("primaryMetric");
                    primary.put("score", 1.0);
                    primary.put("scoreError", 0.1);
                    primary.put("scoreUnit", "us/op");
                    ObjectNode alloc = result.putObject("secondaryMetrics").putObject("gc.alloc.rate.norm");
                    alloc.put("score", 100.0);
                    alloc.put("scoreUnit", "B/op");
                }
            }
        }
        Path file = dir.resolve("jmh.json");
        JSON.writeValue(file.toFile(), results);
        return file;
    }

    private Path writeNumpyJson() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("numpy", "1.24.2");
        root.put("python", "/usr/bin/python3 3.11.2");
        root.put("method", "timeit");
        ArrayNode results = root.putArray("results");
        for (String size : List.of("4KiB", "4MiB", "256MiB")) {
            results.addObject().put("row", "P1").put("name", "np.asarray(a)").put("param", size).put("ns_per_call", 50.0);
        }
        for (String count : List.of("1K", "1M", "16M")) {
            for (String expression : List.of("a + b", "a * b")) {
                results.addObject().put("row", "P4").put("name", expression).put("param", count).put("ns_per_call", 500.0);
            }
        }
        for (String density : List.of("0.01", "0.10")) {
            results.addObject().put("row", "P7").put("name", "csr @ dense").put("param", density).put("ns_per_call", 1e8);
        }
        Path file = dir.resolve("numpy.json");
        Files.writeString(file, JSON.writeValueAsString(root));
        return file;
    }
}
