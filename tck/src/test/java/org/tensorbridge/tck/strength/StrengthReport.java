package org.tensorbridge.tck.strength;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Writes {@code tck/STRENGTH.md} from PIT's {@code mutations.xml}: the mutation score of the kit (run
 * against the reference backend) over the reference kernels and the spi's conversion, validation and
 * sparse code, and every surviving mutant with the verdict that {@code strength-notes.tsv} gives it —
 * the reason it is equivalent (no observable behaviour changes), or that it needs a rule. A survivor
 * without a note is listed as "needs a rule (not yet looked at)", so a new survivor never hides.
 *
 * <p>Run by {@code ./mvnw -pl tck -am -Pmutation-score test} after PIT; arguments: the mutations file,
 * the notes file, the output file.
 */
public final class StrengthReport {
    static final String COMMAND = "./mvnw -pl tck -am -Pmutation-score test";

    private StrengthReport() {
    }

    /** One mutant, as PIT reports it. */
    record Mutant(String className, String method, int line, String mutator, String description, String status) {
        /** The key a note is filed under: {@code SimpleClass.method:line description}. */
        String key() {
            return simpleName() + "." + method + ":" + line + " " + description;
        }

        String simpleName() {
            return className.substring(className.lastIndexOf('.') + 1);
        }

        boolean detected() {
            return !status.equals("SURVIVED") && !status.equals("NO_COVERAGE");
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: StrengthReport mutations.xml strength-notes.tsv STRENGTH.md");
        }
        List<Mutant> mutants = read(Path.of(args[0]));
        Map<String, String> notes = notes(Path.of(args[1]));
        String markdown = markdown(mutants, notes);
        Files.writeString(Path.of(args[2]), markdown, StandardCharsets.UTF_8);
        System.out.println(summaryLine(mutants) + "; wrote " + args[2]);
    }

    static List<Mutant> read(Path mutationsXml) throws Exception {
        if (!Files.isRegularFile(mutationsXml)) {
            throw new IllegalArgumentException(mutationsXml + " does not exist; run PIT first: " + COMMAND);
        }
        Document document;
        try (InputStream in = Files.newInputStream(mutationsXml)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            document = factory.newDocumentBuilder().parse(in);
        }
        NodeList nodes = document.getElementsByTagName("mutation");
        List<Mutant> mutants = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element mutation = (Element) nodes.item(i);
            String mutator = text(mutation, "mutator");
            mutants.add(new Mutant(text(mutation, "mutatedClass"), text(mutation, "mutatedMethod"),
                    Integer.parseInt(text(mutation, "lineNumber")), mutator.substring(mutator.lastIndexOf('.') + 1),
                    text(mutation, "description"), mutation.getAttribute("status")));
        }
        return mutants;
    }

    private static String text(Element parent, String tag) {
        NodeList children = parent.getElementsByTagName(tag);
        return children.getLength() == 0 ? "" : children.item(0).getTextContent().trim();
    }

    /** {@code key<TAB>verdict} lines; {@code #} starts a comment. */
    static Map<String, String> notes(Path file) throws IOException {
        Map<String, String> notes = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return notes;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new IllegalArgumentException(file + ": a note needs 'key<TAB>verdict': " + line);
            }
            notes.put(line.substring(0, tab).trim(), line.substring(tab + 1).trim());
        }
        return notes;
    }

    static String summaryLine(List<Mutant> mutants) {
        long detected = mutants.stream().filter(Mutant::detected).count();
        return String.format("%d of %d mutants killed (%.1f %%)", detected, mutants.size(),
                100.0 * detected / Math.max(1, mutants.size()));
    }

    static String markdown(List<Mutant> mutants, Map<String, String> notes) {
        Map<String, Long> byStatus = new TreeMap<>();
        mutants.forEach(m -> byStatus.merge(m.status(), 1L, Long::sum));
        List<Mutant> survivors = mutants.stream().filter(m -> !m.detected())
                .sorted((a, b) -> a.className().equals(b.className()) ? Integer.compare(a.line(), b.line())
                        : a.className().compareTo(b.className())).toList();
        Map<String, Long> byVerdict = new LinkedHashMap<>();
        VERDICTS.forEach(v -> byVerdict.put(v, 0L));
        survivors.forEach(m -> byVerdict.merge(category(verdict(m, notes)), 1L, Long::sum));
        StringBuilder md = new StringBuilder();
        md.append("# The kit's strength: mutation score\n\n")
                .append("Generated by `org.tensorbridge.tck.strength.StrengthReport` from PIT's `mutations.xml` and the ")
                .append("verdicts in `strength-notes.tsv`; do not edit by hand. Regenerate with (on demand, not part of ")
                .append("`./mvnw verify` or CI; about 11 minutes on two cores):\n\n```\n").append(COMMAND).append("\n```\n\n")
                .append("PIT (pitest-maven 1.30.2, pitest-junit5-plugin 1.2.3, default mutators) mutates the reference ")
                .append("backend's kernels (`org.tensorbridge.backend.reference`) and the spi's conversion, validation ")
                .append("and sparse code (`Conversions`, `Creation`, `OperationRunner`, `KernelExecution`, `ValueChecks`, ")
                .append("`AbstractBackend`, `SparseCreation`, `HostIndexChecks`, `IndexMessages`, `HostSparseKernels`, ")
                .append("`BackendSparseTensor`), and runs the kit against the reference backend as the test suite: ")
                .append("its rules one by one (`ReferenceBackendConformanceTest`), then, for mutants they leave alive, the ")
                .append("whole kit as one test (`WholeKitRun`: the kit builds its backend once, and PIT would otherwise ")
                .append("try a mutant in that code against the first rule alone). A mutant is killed when a rule fails.\n\n")
                .append("## Score\n\n**").append(summaryLine(mutants)).append("**; goal: at least 85 %. PIT counts a ")
                .append("mutant that times out as killed; on a loaded machine a few more time out, so the score can vary ")
                .append("by a few mutants from run to run.\n\n")
                .append("| status | mutants |\n|---|---|\n");
        byStatus.forEach((status, count) -> md.append("| ").append(status.toLowerCase().replace('_', ' ')).append(" | ")
                .append(count).append(" |\n"));
        md.append("\nSurvivors (survived or not covered): ").append(survivors.size()).append(".\n\n")
                .append("| verdict | survivors | meaning |\n|---|---|---|\n");
        byVerdict.forEach((verdict, count) -> md.append("| ").append(verdict).append(" | ").append(count).append(" | ")
                .append(MEANINGS.get(verdict)).append(" |\n"));
        md.append("\n## Survivors\n\nEach with its verdict and the reason, or what a rule would have to check.\n");
        String currentClass = null;
        for (Mutant mutant : survivors) {
            if (!mutant.className().equals(currentClass)) {
                currentClass = mutant.className();
                md.append("\n### `").append(currentClass).append("`\n\n| line | method | mutation | status | verdict |\n")
                        .append("|---|---|---|---|---|\n");
            }
            md.append("| ").append(mutant.line()).append(" | `").append(mutant.method()).append("` | ")
                    .append(mutant.description().replace("|", "\\|")).append(" | ")
                    .append(mutant.status().toLowerCase().replace('_', ' ')).append(" | ")
                    .append(verdict(mutant, notes).replace("|", "\\|")).append(" |\n");
        }
        return md.toString();
    }

    /** The verdicts a note may give, by the words it starts with. */
    static final List<String> VERDICTS = List.of("equivalent", "not reachable on the reference backend", "spi-only",
            "needs a rule");
    private static final Map<String, String> MEANINGS = Map.of(
            "equivalent", "the mutant behaves like the original wherever the contract can observe it",
            "not reachable on the reference backend", "the path runs only for backends built otherwise (no sharing "
                    + "hook, a host fallback, kernels for some dtypes only, a failing allocation); the kit judges it "
                    + "when it runs on such a backend",
            "spi-only", "code no backend writes or can change (the spi's own wording and bookkeeping): the kit judges "
                    + "backends, the spi's own tests must cover it",
            "needs a rule", "a gap in the kit: the note says what a rule would have to check");

    private static String category(String verdict) {
        return VERDICTS.stream().filter(verdict::startsWith).findFirst().orElse("needs a rule");
    }

    private static String verdict(Mutant mutant, Map<String, String> notes) {
        return notes.getOrDefault(mutant.key(), "needs a rule (not yet looked at)");
    }
}
