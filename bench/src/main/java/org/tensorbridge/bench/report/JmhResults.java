package org.tensorbridge.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The results of one JMH run, read from its JSON output ({@code -rf json}), and the environment it
 * reports (JDK, VM, JMH version, JVM options). Immutable.
 */
public final class JmhResults {
    private final List<Measurement> measurements;
    private final Map<String, String> environment;
    private final Map<String, List<String>> jvmArgs;
    private final Map<String, String> settings;

    private JmhResults(List<Measurement> measurements, Map<String, String> environment,
            Map<String, List<String>> jvmArgs, Map<String, String> settings) {
        this.measurements = List.copyOf(measurements);
        this.environment = Map.copyOf(environment);
        this.jvmArgs = Map.copyOf(jvmArgs);
        this.settings = Map.copyOf(settings);
    }

    /** Reads JMH's JSON results; only average-time results are kept. */
    public static JmhResults read(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(json + " is not JMH JSON output (an array of results); write it with -rf json");
        }
        List<Measurement> measurements = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, List<String>> jvmArgs = new LinkedHashMap<>();
        Map<String, String> settings = new LinkedHashMap<>();
        for (JsonNode result : root) {
            if (!"avgt".equals(result.path("mode").asText())) {
                continue;
            }
            String benchmark = simpleName(result.path("benchmark").asText());
            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = result.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> param = it.next();
                params.put(param.getKey(), param.getValue().asText());
            }
            JsonNode primary = result.path("primaryMetric");
            double scale = Measurement.nanosPer(primary.path("scoreUnit").asText());
            double error = primary.path("scoreError").asDouble(Double.NaN);
            JsonNode alloc = result.path("secondaryMetrics").path("gc.alloc.rate.norm");
            OptionalDouble bytes = alloc.isMissingNode() ? OptionalDouble.empty()
                    : OptionalDouble.of(alloc.path("score").asDouble());
            measurements.add(new Measurement(benchmark, params, primary.path("score").asDouble() * scale,
                    error * scale, bytes, "JMH"));
            for (String key : List.of("jmhVersion", "jdkVersion", "vmName", "vmVersion", "jvm")) {
                environment.putIfAbsent(key, result.path(key).asText());
            }
            List<String> args = new ArrayList<>();
            result.path("jvmArgs").forEach(arg -> args.add(arg.asText()));
            jvmArgs.putIfAbsent(benchmark.substring(0, benchmark.indexOf('.')), args);
            settings.putIfAbsent(benchmark.substring(0, benchmark.indexOf('.')), result.path("forks").asInt() + " fork, "
                    + "warm-up " + result.path("warmupIterations").asInt() + " × " + result.path("warmupTime").asText()
                    + ", measurement " + result.path("measurementIterations").asInt() + " × "
                    + result.path("measurementTime").asText());
        }
        return new JmhResults(measurements, environment, jvmArgs, settings);
    }

    /** {@code org.tensorbridge.bench.P1SharedConversion.tensorbridgeToHostNever} to {@code P1SharedConversion.tensorbridgeToHostNever}. */
    private static String simpleName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    /** The result of {@code benchmark} ({@code Class.method}) whose parameters include {@code param}. */
    public Optional<Measurement> find(String benchmark, String param) {
        return measurements.stream()
                .filter(m -> m.benchmark().equals(benchmark) && m.params().containsValue(param))
                .findFirst();
    }

    /** Every result, in the order of the file. */
    public List<Measurement> measurements() {
        return measurements;
    }

    /** Benchmark classes present, in the order of the file. */
    public Set<String> benchmarkClasses() {
        Set<String> classes = new LinkedHashSet<>();
        measurements.forEach(m -> classes.add(m.benchmark().substring(0, m.benchmark().indexOf('.'))));
        return classes;
    }

    /** {@code jmhVersion}, {@code jdkVersion}, {@code vmName}, {@code vmVersion}, {@code jvm}, as JMH reports them. */
    public String environment(String key) {
        return environment.getOrDefault(key, "");
    }

    /** Forks, warm-up and measurement iterations of one benchmark class, as the run used them. */
    public String settings(String benchmarkClass) {
        return settings.getOrDefault(benchmarkClass, "");
    }

    /** The options of the forked JVMs of one benchmark class. */
    public List<String> jvmArgs(String benchmarkClass) {
        return jvmArgs.getOrDefault(benchmarkClass, List.of());
    }
}
