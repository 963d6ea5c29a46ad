package org.tensorbridge.tck.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorbridge.tck.RuleCatalog;
import org.tensorbridge.tck.RuleDefinition;

/** Writes {@code report.html}: the rule × backend matrix, each non-pass with its reason on hover and below. */
public final class HtmlReportWriter {
    private HtmlReportWriter() {
    }

    /** The report as a standalone HTML page. */
    public static String toHtml(ConformanceReport report, RuleCatalog catalog) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>tensorbridge conformance"
                + "</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
                + ".passed{background:#d4f4d4}.failed{background:#f8c8c8}.aborted{background:#fdf0c0}"
                + ".not_verified{background:#e8e8e8}.unavailable{color:#777}</style></head><body>\n");
        html.append("<h1>tensorbridge conformance</h1>\n<p>Seed ").append(report.seed()).append(". Result: <b>")
                .append(report.passed() ? "passed" : "failed").append("</b>.</p>\n");
        if (!report.missingRequired().isEmpty()) {
            html.append("<p class=\"failed\">Required but missing: ")
                    .append(escape(String.join("; ", report.missingRequired()))).append("</p>\n");
        }
        html.append("<h2>Backends</h2>\n<ul>\n");
        for (BackendReport backend : report.backends()) {
            html.append("<li><b>").append(escape(backend.name())).append("</b>: ")
                    .append(backend.available() ? escape(backend.device()) + " — " + summary(backend)
                            : "<span class=\"unavailable\">unavailable: " + escape(backend.reason()) + "</span>")
                    .append("</li>\n");
        }
        html.append("</ul>\n<h2>Rules</h2>\n<table><tr><th>rule</th><th>level</th><th>rule text</th>");
        List<BackendReport> tested = report.backends().stream().filter(BackendReport::available).toList();
        tested.forEach(b -> html.append("<th>").append(escape(b.name())).append("</th>"));
        html.append("</tr>\n");
        for (RuleDefinition rule : catalog.all()) {
            html.append("<tr><td>").append(rule.id()).append("</td><td>").append(rule.level()).append("</td><td>")
                    .append(escape(rule.title())).append("</td>");
            for (BackendReport backend : tested) {
                RuleResult result = backend.rules().stream().filter(r -> r.id().equals(rule.id())).findFirst()
                        .orElse(new RuleResult(rule.id(), rule.level(), RuleStatus.NOT_VERIFIED, "not in this run"));
                html.append("<td class=\"").append(result.status().label()).append("\" title=\"")
                        .append(escape(result.message())).append("\">").append(result.status().label());
                if (result.status() != RuleStatus.PASSED) {
                    html.append("<br><small>").append(escape(result.message())).append("</small>");
                }
                html.append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n</body></html>\n");
        return html.toString();
    }

    static String summary(BackendReport backend) {
        return backend.count(RuleStatus.PASSED) + " passed, " + backend.count(RuleStatus.FAILED) + " failed, "
                + backend.count(RuleStatus.ABORTED) + " aborted, " + backend.count(RuleStatus.NOT_VERIFIED)
                + " not verified";
    }

    private static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Writes the page to {@code file}, creating its folder. */
    public static void write(ConformanceReport report, RuleCatalog catalog, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, toHtml(report, catalog), StandardCharsets.UTF_8);
    }
}
