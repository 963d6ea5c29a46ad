package org.tensorbridge.tck.strength;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STRENGTH.md from a small mutations.xml: the score, and each survivor with its note or "needs a rule". */
class StrengthReportTest {
    private static final String XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <mutations partial="true">
            <mutation detected='true' status='KILLED' numberOfTestsRun='1'><sourceFile>A.java</sourceFile>\
            <mutatedClass>org.x.A</mutatedClass><mutatedMethod>f</mutatedMethod><methodDescription>()V</methodDescription>\
            <lineNumber>3</lineNumber><mutator>org.pitest.MathMutator</mutator><description>Replaced addition</description></mutation>
            <mutation detected='true' status='TIMED_OUT' numberOfTestsRun='1'><mutatedClass>org.x.A</mutatedClass>\
            <mutatedMethod>g</mutatedMethod><lineNumber>4</lineNumber><mutator>org.pitest.X</mutator>\
            <description>removed call</description></mutation>
            <mutation detected='false' status='SURVIVED' numberOfTestsRun='2'><mutatedClass>org.x.A</mutatedClass>\
            <mutatedMethod>h</mutatedMethod><lineNumber>9</lineNumber><mutator>org.pitest.ConditionalsBoundaryMutator</mutator>\
            <description>changed conditional boundary</description></mutation>
            <mutation detected='false' status='NO_COVERAGE' numberOfTestsRun='0'><mutatedClass>org.x.B</mutatedClass>\
            <mutatedMethod>k</mutatedMethod><lineNumber>12</lineNumber><mutator>org.pitest.NegateConditionalsMutator</mutator>\
            <description>negated conditional</description></mutation>
            </mutations>
            """;

    @Test
    void survivorsAreListedWithTheirVerdicts(@TempDir Path work) throws Exception {
        Path xml = work.resolve("mutations.xml");
        Files.writeString(xml, XML);
        Path notes = work.resolve("notes.tsv");
        Files.writeString(notes, "# comment\nA.h:9 changed conditional boundary\tequivalent: the loop ends either way\n");
        List<StrengthReport.Mutant> mutants = StrengthReport.read(xml);
        assertEquals(4, mutants.size());
        assertEquals("2 of 4 mutants killed (50.0 %)", StrengthReport.summaryLine(mutants));
        Map<String, String> verdicts = StrengthReport.notes(notes);
        String md = StrengthReport.markdown(mutants, verdicts);
        assertTrue(md.contains("| 9 | `h` | changed conditional boundary | survived | equivalent: the loop ends either way |"),
                md);
        assertTrue(md.contains("| 12 | `k` | negated conditional | no coverage | needs a rule (not yet looked at) |"), md);
        assertTrue(md.contains("| equivalent | 1 |"), md);
        assertTrue(md.contains("| needs a rule | 1 |"), md);
        assertTrue(md.contains("| timed out | 1 |"), md);
    }
}
