package org.tensorbridge.tck.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code report.json}: per backend {@code name}, {@code available}, {@code reason} (when
 * unavailable), {@code device} and {@code smokeFailure} (when available; the latter null when the smoke
 * stage passed) and {@code rules}, a list of {@code {id, level, status, message}} with status
 * {@code passed | failed | aborted | not_applicable | not_verified}.
 */
public final class JsonReportWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReportWriter() {
    }

    /** The report as a JSON tree. */
    public static ObjectNode toJson(ConformanceReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("seed", report.seed());
        root.put("passed", report.passed());
        ArrayNode missing = root.putArray("missingRequired");
        report.missingRequired().forEach(missing::add);
        ArrayNode backends = root.putArray("backends");
        for (BackendReport backend : report.backends()) {
            ObjectNode node = backends.addObject();
            node.put("name", backend.name());
            node.put("available", backend.available());
            if (!backend.available()) {
                node.put("reason", backend.reason());
            } else {
                node.put("device", backend.device());
                node.put("smokeFailure", backend.smokeFailure());
            }
            ArrayNode rules = node.putArray("rules");
            for (RuleResult rule : backend.rules()) {
                ObjectNode r = rules.addObject();
                r.put("id", rule.id());
                r.put("level", rule.level().name());
                r.put("status", rule.status().label());
                r.put("message", rule.message());
            }
        }
        return root;
    }

    /** Writes the report to {@code file}, creating its folder. */
    public static void write(ConformanceReport report, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        MAPPER.writeValue(file.toFile(), toJson(report));
    }
}
