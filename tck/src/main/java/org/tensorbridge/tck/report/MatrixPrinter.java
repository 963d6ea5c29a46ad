package org.tensorbridge.tck.report;

import java.io.PrintStream;
import java.util.List;
import org.tensorbridge.tck.RuleCatalog;
import org.tensorbridge.tck.RuleDefinition;

/**
 * Prints the conformance matrix as text: rule × backend; then each backend's smoke failure, if any, and
 * the reason of each rule that did not pass (with what to check for a failure); a summary per backend.
 */
public final class MatrixPrinter {
    private static final String CELL = " %-15s";

    private MatrixPrinter() {
    }

    /** Prints {@code report} to {@code out}. */
    public static void print(ConformanceReport report, RuleCatalog catalog, PrintStream out) {
        List<BackendReport> tested = report.backends().stream().filter(BackendReport::available).toList();
        StringBuilder header = new StringBuilder(String.format("%-6s %-7s", "rule", "level"));
        tested.forEach(b -> header.append(String.format(CELL, b.name())));
        header.append(" rule text");
        out.println(header);
        for (RuleDefinition rule : catalog.all()) {
            StringBuilder row = new StringBuilder(String.format("%-6s %-7s", rule.id(), rule.level()));
            for (BackendReport backend : tested) {
                row.append(String.format(CELL, backend.verdict(rule).status().label()));
            }
            row.append(' ').append(rule.title());
            out.println(row);
        }
        out.println();
        for (BackendReport backend : tested) {
            if (backend.smokeFailure() != null) {
                out.println("  " + backend.name() + " SMOKE FAILED — " + backend.smokeFailure());
                out.println("    every rule is not verified until the smoke stage passes");
            }
            for (RuleDefinition rule : catalog.all()) {
                RuleResult result = backend.verdict(rule);
                if (result.status() == RuleStatus.PASSED || (backend.smokeFailure() != null
                        && result.status() == RuleStatus.NOT_VERIFIED)) {
                    continue;
                }
                String message = firstLine(result.message());
                // An assumption's own words often start with the status ("not applicable: ...").
                out.println("  " + backend.name() + " " + rule.id() + " " + (message.startsWith(result.status().text())
                        ? message : result.status().text() + ": " + message));
                if (result.status() == RuleStatus.FAILED) {
                    out.println("    If this fails, check: " + rule.check());
                }
            }
        }
        out.println();
        for (BackendReport backend : report.backends()) {
            out.println(backend.available()
                    ? backend.name() + ": " + summary(backend) + (backend.failedMust()
                            ? " — NOT CONFORMING" : " — conforming") + " (" + deviceOf(backend) + ")"
                    : backend.name() + ": unavailable — " + backend.reason());
        }
        report.missingRequired().forEach(m -> out.println("required backend missing: " + m));
    }

    /** {@code 70 passed, 0 failed, ...}, with the smoke stage's failure first when it failed. */
    static String summary(BackendReport backend) {
        return (backend.smokeFailure() != null ? "smoke stage FAILED, " : "")
                + backend.count(RuleStatus.PASSED) + " passed, " + backend.count(RuleStatus.FAILED) + " failed, "
                + backend.count(RuleStatus.ABORTED) + " aborted, " + backend.count(RuleStatus.NOT_APPLICABLE)
                + " not applicable, " + backend.count(RuleStatus.NOT_VERIFIED) + " not verified";
    }

    /**
     * The device, or why it is not known: the kit reads it in its smoke stage, which a backend that did
     * not start never reaches.
     */
    static String deviceOf(BackendReport backend) {
        return backend.device() != null ? backend.device() : "device unknown: the kit did not reach its smoke stage";
    }

    static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
