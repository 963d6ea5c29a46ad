package org.tensorbridge.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Figures recorded beside the JMH run by {@code bench/numpy_peers.py} (NumPy through {@code timeit}),
 * or the reason there are none. Immutable.
 */
public final class PeerResults {
    private final List<Measurement> measurements;
    private final String description;
    private final String missingReason;

    private PeerResults(List<Measurement> measurements, String description, String missingReason) {
        this.measurements = List.copyOf(measurements);
        this.description = description;
        this.missingReason = missingReason;
    }

    /** No figures, for {@code reason}. */
    public static PeerResults missing(String reason) {
        return new PeerResults(List.of(), "", reason);
    }

    /** Reads the JSON the script prints; a missing or empty file gives no figures, with the reason. */
    public static PeerResults read(Path json) throws IOException {
        if (!Files.isRegularFile(json) || Files.size(json) == 0) {
            return missing("the NumPy script wrote no results (" + json + "); see the run's log");
        }
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        if (root.has("error")) {
            return missing(root.path("error").asText());
        }
        List<Measurement> measurements = new ArrayList<>();
        for (JsonNode result : root.path("results")) {
            measurements.add(new Measurement(result.path("name").asText(),
                    Map.of("row", result.path("row").asText(), "param", result.path("param").asText()),
                    result.path("ns_per_call").asDouble(), Double.NaN, OptionalDouble.empty(), "timeit"));
        }
        String description = "NumPy " + root.path("numpy").asText() + " on Python " + root.path("python").asText()
                + (root.has("scipy") ? ", SciPy " + root.path("scipy").asText() : "")
                + (root.has("scipy_error") ? " (no SciPy figures: " + root.path("scipy_error").asText() + ")" : "")
                + "; " + root.path("method").asText();
        return new PeerResults(measurements, description, null);
    }

    /** The figure of {@code name} (for example {@code np.asarray(a)}) at {@code param}. */
    public Optional<Measurement> find(String name, String param) {
        return measurements.stream()
                .filter(m -> m.benchmark().equals(name) && param.equals(m.params().get("param")))
                .findFirst();
    }

    /** Every figure, in the order of the file. */
    public List<Measurement> measurements() {
        return measurements;
    }

    /** NumPy and Python versions and the timing method; empty when there are no figures. */
    public String description() {
        return description;
    }

    /** Why there are no figures, or {@code null} when there are. */
    public String missingReason() {
        return missingReason;
    }
}
