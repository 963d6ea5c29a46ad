package org.tensorbridge.tck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.tck.RuleCatalog;

/** The runner against the providers registered in the tck's test class path. */
class ConformanceRunnerTest {
    private final ConformanceRunner runner = new ConformanceRunner(new PrintStream(new ByteArrayOutputStream()));

    private static BackendReport backend(ConformanceReport report, String name) {
        return report.backends().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aConformingBackendPassesWithOneVerdictPerRule() {
        ConformanceReport report = runner.run(List.of("heap"), List.of(), 7);
        assertTrue(report.passed(), () -> "report: " + report);
        BackendReport heap = backend(report, "heap");
        assertEquals(RuleCatalog.bundled().all().size(), heap.rules().size(), "one verdict per rule");
        assertEquals(0, heap.count(RuleStatus.FAILED));
        assertEquals(0, heap.count(RuleStatus.NOT_VERIFIED), "every rule has a test");
    }

    @Test
    void aBrokenBackendFailsTheRuleMeantForItAndTheRun() {
        ConformanceReport report = runner.run(List.of("wrong-order"), List.of(), 7);
        assertFalse(report.passed());
        RuleResult order = backend(report, "wrong-order").rules().stream().filter(r -> r.id().equals("5.3"))
                .findFirst().orElseThrow();
        assertEquals(RuleStatus.FAILED, order.status());
        assertTrue(order.message().contains("row-major"), order.message());
    }

    @Test
    void anUnavailableBackendIsReportedAndFailsOnlyWhenRequired() {
        ConformanceReport optional = runner.run(List.of("heap", "absent"), List.of(), 7);
        assertTrue(optional.passed(), "an unavailable backend that is not required must not fail the run");
        BackendReport absent = backend(optional, "absent");
        assertFalse(absent.available());
        assertTrue(absent.reason().contains("libabsent"), absent.reason());

        ConformanceReport required = runner.run(List.of("heap"), List.of("absent", "nosuch"), 7);
        assertFalse(required.passed());
        assertEquals(2, required.missingRequired().size(), required.missingRequired().toString());
        assertTrue(required.missingRequired().stream().anyMatch(m -> m.startsWith("nosuch: no provider")),
                required.missingRequired().toString());
    }

    @Test
    void reportsHaveTheDocumentedFields(@TempDir Path folder) throws Exception {
        ConformanceReport report = runner.run(List.of("heap", "absent"), List.of(), 7);
        JsonReportWriter.write(report, folder.resolve("report.json"));
        HtmlReportWriter.write(report, RuleCatalog.bundled(), folder.resolve("report.html"));
        JsonNode json = new ObjectMapper().readTree(folder.resolve("report.json").toFile());
        JsonNode heap = json.get("backends").get(0);
        assertEquals("heap", heap.get("name").asText());
        assertTrue(heap.get("available").asBoolean());
        JsonNode rule = heap.get("rules").get(0);
        for (String field : new String[] {"id", "level", "status", "message"}) {
            assertTrue(rule.has(field), "rule entries need " + field + ": " + rule);
        }
        assertTrue(List.of("passed", "failed", "aborted", "not_applicable", "not_verified")
                .contains(rule.get("status").asText()));
        assertTrue(heap.has("smokeFailure") && heap.get("smokeFailure").isNull(), "the smoke stage passed: " + heap);
        JsonNode absent = json.get("backends").get(1);
        assertFalse(absent.get("available").asBoolean());
        assertTrue(absent.get("reason").asText().contains("libabsent"));
        String html = Files.readString(folder.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("<td class=\"passed\""), "the HTML matrix shows verdicts");
    }

    @Test
    void theTextMatrixHasARowPerRuleAndASummaryPerBackend() {
        ConformanceReport report = runner.run(List.of("heap", "wrong-order"), List.of(), 7);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MatrixPrinter.print(report, RuleCatalog.bundled(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        for (var rule : RuleCatalog.bundled().all()) {
            assertTrue(text.lines().anyMatch(line -> line.startsWith(rule.id() + " ")), "no row for rule " + rule.id());
        }
        assertTrue(text.contains("heap: ") && text.contains("— conforming"), text);
        assertTrue(text.contains("wrong-order: ") && text.contains("NOT CONFORMING"), text);
        assertTrue(text.contains("wrong-order 5.3 failed: rule 5.3 MUST"), "the reason of a failure is printed: " + text);
        assertTrue(text.contains("wrong-order 5.3 failed: rule 5.3 MUST (" + RuleCatalog.bundled().find("5.3")
                .orElseThrow().title() + ")"), text);
        assertTrue(text.contains("\n    If this fails, check: " + RuleCatalog.bundled().find("5.3").orElseThrow().check()),
                "what to check is printed under a failure: " + text);
        assertTrue(text.contains("heap 4.2 not applicable: the backend declares every dtype"), text);
    }

    @Test
    void aRuleThatDoesNotApplyIsNotApplicableNotAborted() {
        BackendReport heap = backend(runner.run(List.of("heap"), List.of(), 7), "heap");
        RuleResult undeclared = heap.verdict(RuleCatalog.bundled().find("4.2").orElseThrow());
        assertEquals(RuleStatus.NOT_APPLICABLE, undeclared.status(), undeclared.toString());
        assertTrue(undeclared.message().startsWith("not applicable: "), "JUnit's 'Assumption failed' is dropped: "
                + undeclared.message());
        assertEquals(0, heap.count(RuleStatus.ABORTED), "nothing else aborts on the reference backend: " + heap);
        assertTrue(heap.device().contains("plain Java reference"), "the device the smoke stage published: "
                + heap.device());
        assertEquals(null, heap.smokeFailure());
    }
}
