package org.tensorbridge.tck.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorbridge.tck.RuleCatalog;
import org.tensorbridge.tck.RuleDefinition;

/**
 * Writes {@code report.html}, one self-contained page a backend author can publish: the rule × backend
 * matrix; for each backend its smoke failure, if any, and every rule that did not pass with the failure's
 * message and what to check; and the rules themselves as {@code RULES.md} writes them (the copy in the
 * kit's jar, so the text is the one that judged). Every rule id links to its section of that copy,
 * {@code #rule-1.2}; every cell that did not pass links to its details, {@code #result-<backend>-1.2}.
 * Statuses are {@code passed}, {@code failed}, {@code aborted}, {@code not applicable} and
 * {@code not verified}; the rules' {@code code spans} render as {@code <code>}. Stateless.
 */
public final class HtmlReportWriter {
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final String HINT = "\n  If this fails, check:";
    private static final String STYLE = "body{font-family:sans-serif;margin:2em;max-width:90em}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;"
            + "vertical-align:top}code{background:#f2f2f2;padding:0 2px}"
            + ".passed{background:#d4f4d4}.failed{background:#f8c8c8}.aborted{background:#fdf0c0}"
            + ".not_applicable{background:#dde8f8}.not_verified{background:#e8e8e8}.unavailable{color:#777}"
            + ".message{white-space:pre-wrap;font-family:monospace;margin:.3em 0}.hint{margin:.3em 0}"
            + ".verdict,.smoke,.rule{border-left:4px solid #ccc;padding:.2em .8em;margin:.8em 0}"
            + ".verdict.failed,.smoke{border-color:#d04040}.verdict.aborted{border-color:#d0a000}"
            + ".verdict.not_applicable{border-color:#5080c0}";

    private HtmlReportWriter() {
    }

    /** The report as a standalone HTML page. */
    public static String toHtml(ConformanceReport report, RuleCatalog catalog) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>tensorbridge conformance"
                + "</title>\n<style>").append(STYLE).append("</style></head><body>\n");
        html.append("<h1>tensorbridge conformance</h1>\n<p>Seed ").append(report.seed())
                .append(". Result: <b id=\"result\">").append(report.passed() ? "passed" : "failed").append("</b>.</p>\n");
        if (!report.missingRequired().isEmpty()) {
            html.append("<p class=\"failed\" id=\"missing\">Required but missing: ")
                    .append(escape(String.join("; ", report.missingRequired()))).append("</p>\n");
        }
        backends(html, report);
        List<BackendReport> tested = report.backends().stream().filter(BackendReport::available).toList();
        matrix(html, catalog, tested);
        html.append("<h2 id=\"details\">What did not pass</h2>\n");
        for (BackendReport backend : tested) {
            details(html, catalog, backend);
        }
        rules(html, catalog);
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void backends(StringBuilder html, ConformanceReport report) {
        html.append("<h2>Backends</h2>\n<ul>\n");
        for (BackendReport backend : report.backends()) {
            html.append("<li id=\"backend-").append(slug(backend.name())).append("\"><b>").append(escape(backend.name()))
                    .append("</b>: ")
                    .append(backend.available()
                            ? escape(MatrixPrinter.deviceOf(backend)) + " — " + MatrixPrinter.summary(backend)
                            + (backend.failedMust() ? " — <b>not conforming</b>" : " — conforming")
                            : "<span class=\"unavailable\">unavailable: " + escape(backend.reason()) + "</span>")
                    .append("</li>\n");
        }
        html.append("</ul>\n");
    }

    private static void matrix(StringBuilder html, RuleCatalog catalog, List<BackendReport> tested) {
        html.append("<h2>Rules</h2>\n<table id=\"matrix\"><tr><th>rule</th><th>level</th><th>rule text</th>");
        tested.forEach(b -> html.append("<th>").append(escape(b.name())).append("</th>"));
        html.append("</tr>\n");
        for (RuleDefinition rule : catalog.all()) {
            html.append("<tr><td><a href=\"#rule-").append(rule.id()).append("\">").append(rule.id())
                    .append("</a></td><td>").append(rule.level()).append("</td><td class=\"rule-text\">")
                    .append(markdown(rule.title())).append("</td>");
            for (BackendReport backend : tested) {
                RuleResult result = backend.verdict(rule);
                html.append("<td class=\"").append(result.status().label()).append("\" title=\"")
                        .append(escape(MatrixPrinter.firstLine(result.message()))).append("\">");
                if (result.status() == RuleStatus.PASSED) {
                    html.append("passed");
                } else {
                    html.append("<a href=\"#").append(explainedBySmoke(backend, result) ? "smoke-" + slug(backend.name())
                            : resultId(backend, rule)).append("\">")
                            .append(result.status().text()).append("</a>");
                }
                html.append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void details(StringBuilder html, RuleCatalog catalog, BackendReport backend) {
        html.append("<h3>").append(escape(backend.name())).append("</h3>\n");
        if (backend.smokeFailure() != null) {
            html.append("<div class=\"smoke\" id=\"smoke-").append(slug(backend.name()))
                    .append("\"><h4>Smoke stage failed</h4><p class=\"message\">").append(escape(backend.smokeFailure()))
                    .append("</p><p>Every rule is not verified until the smoke stage (create a tensor, read it back"
                            + " with <code>toHost(ALWAYS)</code>, share it if declared, one operation) passes.</p>"
                            + "</div>\n");
        }
        int shown = 0;
        for (RuleDefinition rule : catalog.all()) {
            RuleResult result = backend.verdict(rule);
            if (result.status() == RuleStatus.PASSED || explainedBySmoke(backend, result)) {
                continue;
            }
            html.append("<div class=\"verdict ").append(result.status().label()).append("\" id=\"")
                    .append(resultId(backend, rule)).append("\"><h4><a href=\"#rule-").append(rule.id()).append("\">")
                    .append(rule.id()).append("</a> ").append(rule.level()).append(" — ").append(markdown(rule.title()))
                    .append(": <span class=\"status\">").append(result.status().text()).append("</span></h4>");
            html.append("<p class=\"message\">").append(escape(withoutHint(result.message()))).append("</p>");
            if (result.status() == RuleStatus.FAILED || result.status() == RuleStatus.ABORTED) {
                html.append("<p class=\"hint\">If this fails, check: ").append(markdown(rule.check())).append("</p>");
            }
            html.append("</div>\n");
            shown++;
        }
        if (shown == 0 && backend.smokeFailure() == null) {
            html.append("<p>Every rule passed.</p>\n");
        }
    }

    /** A rule not verified because the smoke stage failed: the smoke failure is its explanation. */
    private static boolean explainedBySmoke(BackendReport backend, RuleResult result) {
        return backend.smokeFailure() != null && result.status() == RuleStatus.NOT_VERIFIED;
    }

    private static void rules(StringBuilder html, RuleCatalog catalog) {
        html.append("<h2 id=\"rules\">The rules (RULES.md, as bundled with the kit)</h2>\n");
        for (RuleDefinition rule : catalog.all()) {
            html.append("<section class=\"rule\" id=\"rule-").append(rule.id()).append("\"><h3>").append(rule.id())
                    .append(' ').append(rule.level()).append(" — ").append(markdown(rule.title())).append("</h3>")
                    .append("<p>Why: ").append(markdown(rule.why())).append("</p>")
                    .append("<p>If this fails, check: ").append(markdown(rule.check())).append("</p></section>\n");
        }
    }

    private static String resultId(BackendReport backend, RuleDefinition rule) {
        return "result-" + slug(backend.name()) + "-" + rule.id();
    }

    /** A name usable in an id: letters, digits, '-' and '_' kept, anything else '-'. */
    private static String slug(String name) {
        return name.replaceAll("[^A-Za-z0-9_-]", "-");
    }

    /** A failure's message without the hint that the kit appends, which the page shows on its own. */
    private static String withoutHint(String message) {
        int hint = message.indexOf(HINT);
        return hint < 0 ? message : message.substring(0, hint);
    }

    /** Escaped text with Markdown code spans as {@code <code>} elements. */
    static String markdown(String text) {
        Matcher code = CODE_SPAN.matcher(escape(text));
        StringBuilder out = new StringBuilder();
        while (code.find()) {
            code.appendReplacement(out, Matcher.quoteReplacement("<code>" + code.group(1) + "</code>"));
        }
        code.appendTail(out);
        return out.toString();
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
