package org.tensorbridge.tck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.tck.RuleCatalog;
import org.tensorbridge.tck.RuleDefinition;

/**
 * {@code report.html} as a real browser renders it: headless Chromium loads the page of a real run (a
 * conforming backend, a broken one, an unavailable one) plus a backend whose smoke stage failed with a
 * message that contains markup, and the DOM it built is checked — statuses, code spans, links to each
 * rule's section, failure messages and hints, and no markup smuggled in through a message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HtmlReportBrowserTest {
    private static final String HOSTILE = "\"share it\" failed: <script>document.title='pwned'</script> & <b>bold</b>";

    private final RuleCatalog catalog = RuleCatalog.bundled();
    private Document dom;

    @BeforeAll
    void render(@TempDir Path work) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        ConformanceReport real = new ConformanceRunner(new PrintStream(new ByteArrayOutputStream()))
                .run(List.of("heap", "wrong-order", "absent"), List.of(), 7);
        List<RuleResult> unverified = new ArrayList<>();
        for (RuleDefinition rule : catalog.all()) {
            unverified.add(new RuleResult(rule.id(), rule.level(), RuleStatus.NOT_VERIFIED,
                    "not verified: smoke failed: " + HOSTILE));
        }
        List<BackendReport> backends = new ArrayList<>(real.backends());
        backends.add(new BackendReport("smoky", true, null, "cpu(test)", unverified, HOSTILE));
        Path page = work.resolve("report.html");
        HtmlReportWriter.write(new ConformanceReport(7, backends, List.of()), catalog, page);
        dom = Jsoup.parse(chromium.dumpDom(page, work));
        Path png = Path.of("target", "report-screenshot.png");
        Files.createDirectories(png.toAbsolutePath().getParent());
        chromium.screenshot(page, work, png, 1600, 2400);
        assertTrue(Files.size(png) > 10_000, "the screenshot of the report is empty: " + png.toAbsolutePath());
    }

    private Element cell(String rule, String backend) {
        Element header = dom.select("#matrix tr").first();
        assertNotNull(header, "no matrix");
        int column = header.select("th").eachText().indexOf(backend);
        assertTrue(column > 0, "no column for " + backend + ": " + header.text());
        for (Element row : dom.select("#matrix tr")) {
            Element id = row.selectFirst("td a");
            if (id != null && id.text().equals(rule)) {
                return row.select("td").get(column);
            }
        }
        throw new AssertionError("no row for rule " + rule);
    }

    @Test
    void theMatrixHasARowPerRuleEachLinkedToItsSection() {
        assertEquals(catalog.all().size() + 1, dom.select("#matrix tr").size(), "one row per rule and a header");
        for (RuleDefinition rule : catalog.all()) {
            Element section = dom.getElementById("rule-" + rule.id());
            assertNotNull(section, "no section for rule " + rule.id());
            assertTrue(section.text().startsWith(rule.id() + " " + rule.level()), section.text());
        }
        for (Element link : dom.select("a[href^=#]")) {
            String target = link.attr("href").substring(1);
            assertNotNull(dom.getElementById(target), "link " + link.outerHtml() + " points nowhere");
        }
    }

    @Test
    void ruleTextRendersCodeSpans() {
        Element row = cell("1.1", "heap").parent();
        assertNotNull(row);
        Element text = row.selectFirst("td.rule-text");
        assertNotNull(text);
        assertEquals(List.of("toHost()", "toHost(IF_NEEDED, READ_ONLY)"), text.select("code").eachText());
        assertFalse(dom.select("td.rule-text, section.rule").text().contains("`"), "a backtick was left unrendered");
    }

    @Test
    void notApplicableIsItsOwnStatus() {
        Element notApplicable = cell("4.2", "heap");
        assertEquals("not_applicable", notApplicable.className());
        assertEquals("not applicable", notApplicable.text());
        Element details = dom.getElementById("result-heap-4.2");
        assertNotNull(details, "a rule that does not apply links to why");
        assertTrue(details.selectFirst(".message").text().startsWith("not applicable: the backend declares every dtype"),
                details.text());
        assertFalse(details.text().contains("Assumption failed"), details.text());
        assertEquals("passed", cell("1.1", "heap").text());
        assertEquals("not verified", cell("1.1", "smoky").text());
    }

    @Test
    void aFailureShowsItsMessageAndWhatToCheck() {
        Element failed = cell("5.3", "wrong-order");
        assertEquals("failed", failed.className());
        Element link = failed.selectFirst("a");
        assertNotNull(link);
        Element details = dom.getElementById(link.attr("href").substring(1));
        assertNotNull(details);
        assertTrue(details.selectFirst(".message").text().contains("row-major"), details.text());
        assertFalse(details.selectFirst(".message").text().contains("If this fails, check"),
                "the hint is shown on its own, not twice");
        Element hint = details.selectFirst(".hint");
        assertNotNull(hint, "a failure must say what to check");
        RuleDefinition rule = catalog.find("5.3").orElseThrow();
        assertTrue(hint.text().startsWith("If this fails, check:"), hint.text());
        assertEquals(rule.check().replace("`", ""), hint.text().substring("If this fails, check: ".length()));
        assertNotNull(details.selectFirst("h4 a[href=#rule-5.3]"), "the failure links to its rule");
    }

    @Test
    void aSmokeFailureIsShownOnceAndMarkupInMessagesStaysText() {
        Element smoke = dom.getElementById("smoke-smoky");
        assertNotNull(smoke, "the smoke failure is shown");
        assertEquals(HOSTILE, smoke.selectFirst(".message").text());
        assertTrue(dom.select("script").isEmpty(), "a message injected a script element");
        assertTrue(dom.select(".message b").isEmpty(), "a message injected markup");
        assertEquals("tensorbridge conformance", dom.title());
        assertEquals("failed", dom.getElementById("result").text());
        assertTrue(dom.getElementById("backend-absent").text().contains("unavailable"), "unavailable backend shown");
    }
}
