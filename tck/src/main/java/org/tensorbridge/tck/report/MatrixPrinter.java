package org.tensorbridge.tck.report;

import java.io.PrintStream;
import java.util.List;
import org.tensorbridge.tck.RuleCatalog;
import org.tensorbridge.tck.RuleDefinition;

/** Prints the conformance matrix as text: rule × backend, reasons for each non-pass, a summary per backend. */
public final class MatrixPrinter {
    private MatrixPrinter() {
    }

    /** Prints {@code report} to {@code out}. */
    public static void print(ConformanceReport report, RuleCatalog catalog, PrintStream out) {
        List<BackendReport> tested = report.backends().stream().filter(BackendReport::available).toList();
        StringBuilder header = new StringBuilder(String.format("%-6s %-7s", "rule", "level"));
        tested.forEach(b -> header.append(String.format(" %-13s", b.name())));
        header.append(" rule text");
        out.println(header);
        for (RuleDefinition rule : catalog.all()) {
            StringBuilder row = new StringBuilder(String.format("%-6s %-7s", rule.id(), rule.level()));
            for (BackendReport backend : tested) {
                row.append(String.format(" %-13s", find(backend, rule).status().label()));
            }
            row.append(' ').append(rule.title());
            out.println(row);
        }
        out.println();
        for (BackendReport backend : tested) {
            for (RuleDefinition rule : catalog.all()) {
                RuleResult result = find(backend, rule);
                if (result.status() != RuleStatus.PASSED) {
                    out.println("  " + backend.name() + " " + rule.id() + " " + result.status().label() + ": "
                            + firstLine(result.message()));
                }
            }
        }
        out.println();
        for (BackendReport backend : report.backends()) {
            out.println(backend.available()
                    ? backend.name() + ": " + HtmlReportWriter.summary(backend) + (backend.failedMust()
                            ? " — NOT CONFORMING" : " — conforming") + " (" + backend.device() + ")"
                    : backend.name() + ": unavailable — " + backend.reason());
        }
        report.missingRequired().forEach(m -> out.println("required backend missing: " + m));
    }

    private static RuleResult find(BackendReport backend, RuleDefinition rule) {
        return backend.rules().stream().filter(r -> r.id().equals(rule.id())).findFirst()
                .orElse(new RuleResult(rule.id(), rule.level(), RuleStatus.NOT_VERIFIED, "not in this run"));
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
