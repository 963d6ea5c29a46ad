package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;
import org.tensorbridge.tck.KitVerdicts.Verdict;

/**
 * The kit against every deliberately broken backend, one defect class each: every defect must be caught
 * by the rule meant for it, on every run, with a message that leads with the rule and says what to
 * check. Prints the catch matrix (defect × the rules that failed) and writes it to
 * {@code target/catch-matrix.md}.
 */
class CatchMatrixTest {
    /** A broken backend, the rule that must catch it, and phrases its failure message must contain. */
    record Defect(String name, Supplier<BackendProvider> provider, String rule, List<String> phrases) {
    }

    /** A defect in a backend that the registered {@link DefectKit.Registered} provider creates. */
    private static Defect of(String name, Supplier<Backend> backend, String rule, String... phrases) {
        return new Defect(name, () -> {
            DefectKit.Registered.current = backend;
            return new DefectKit.Registered();
        }, rule, List.of(phrases));
    }

    static final List<Defect> DEFECTS = List.of(
            of("reports-shared-but-copies", BrokenBackends::reportsSharedButCopies, "1.2", "reported SHARED",
                    "does not alias"),
            of("copies-report-no-bytes", BrokenApi::copiesReportNoBytes, "1.3", "bytesCopied"),
            of("lying-capability", BrokenBackends::lyingCapability, "1.4", "declares sharesHostMemory but NEVER threw"),
            of("copy-that-aliases", BrokenBackends::copyThatAliases, "1.6", "ALWAYS copy", "still aliases"),
            of("never-refused-with-the-wrong-exception", BrokenApi::neverRefusedWithTheWrongException, "1.7"),
            of("read-only-not-enforced", BrokenBackends::readOnlyNotEnforced, "2.1", "ReadOnlyException"),
            of("writable-buffer-of-a-read-only-array", BrokenApi::writableBufferOfAReadOnlyArray, "2.2"),
            of("closing-a-tensor-closes-its-arrays", BrokenApi::closingATensorClosesItsArrays, "3.1"),
            of("use-after-close-not-detected", BrokenBackends::useAfterCloseNotDetected, "3.2", "after close"),
            of("second-close-throws", BrokenApi::secondCloseThrows, "3.3"),
            of("leaks-scratch", BrokenKernels::leaksScratch, "3.5"),
            of("memory-never-freed", BrokenMemory::memoryNeverFreed, "3.8", "native bytes held"),
            of("under-declared-dtypes", BrokenApi::underDeclaredDTypes, "4.2", "int8"),
            of("cast-nan-to-minimum", BrokenKernels::castNanToMinimum, "4.4", "float32 -> int32 of NaN"),
            of("truncating-half-add", BrokenKernels::truncatingHalfAdd, "4.5", "add float16", "rounded once"),
            of("wrong-element-order", BrokenBackends::wrongElementOrder, "5.3", "row-major position"),
            of("cyclic-instead-of-broadcast", BrokenKernels::cyclicInsteadOfBroadcast, "5.4"),
            of("reversed-subtract", BrokenKernels::reversedSubtract, "6.1", "subtract"),
            of("matmul-reads-b-transposed", BrokenKernels::matmulReadsBTransposed, "6.3", "matmul"),
            of("flooring-division", BrokenKernels::flooringDivision, "6.4"),
            of("writes-to-its-input", BrokenKernels::writesToItsInput, "6.5"),
            of("saturating-add", BrokenKernels::saturatingAdd, "6.6", "add int32", "wrap"),
            of("shared-scratch-race", BrokenKernels::sharedScratchRace, "6.7", "others' values"),
            of("tiny-buffer-behind-a-huge-shape", BrokenMemory::tinyBufferBehindAHugeShape, "7.6"),
            of("indices-not-validated", BrokenMemory::indicesNotValidated, "10.4"),
            of("coalesce-keeps-duplicates", BrokenBackends::coalesceKeepsDuplicates, "10.2", "coalesce()"),
            of("densifying-coalesce", BrokenBackends::densifyingCoalesce, "10.8", "dense"),
            of("scaled-sparse-claims-canonical", BrokenKernels::scaledSparseClaimsCanonical, "10.9",
                    "sparse_multiply", "isCanonical()"),
            of("drifting-fusion", BrokenKernels::driftingFusion, "11.1", "program"),
            of("inaccurate-exp", BrokenKernels::inaccurateExp, "12.1", "exp float32", "ulps"),
            of("maximum-drops-nan", BrokenKernels::maximumDropsNan, "12.2", "maximum", "NaN"),
            of("java-pow", BrokenKernels::javaPow, "12.3", "pow", "1.0 and NaN"),
            of("transpose-ignores-permutation", BrokenKernels::transposeIgnoresPermutation, "12.4", "transpose",
                    "must be input element"),
            of("saturating-sum", BrokenKernels::saturatingSum, "12.5", "sum int32", "must wrap"),
            of("max-drops-nan", BrokenKernels::maxDropsNan, "12.5", "max", "NaN wins"),
            of("declared-but-refused", BrokenKernels::declaredButRefused, "12.7", "exp", "declared"),
            new Defect("unregistered-provider", BrokenMemory::unregisteredProvider, "13.1",
                    List.of("not registered for ServiceLoader")),
            new Defect("slow-probe", BrokenMemory.SlowProbe::new, "13.1", List.of("second probe")));

    /** Rules that failed, per defect, for the matrix. */
    private static final Map<String, TreeSet<String>> CAUGHT = new ConcurrentHashMap<>();

    static Defect defect(String name) {
        return DEFECTS.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("kit bug: no defect " + name));
    }

    private static List<Verdict> run(String defect, DiscoverySelector selector) {
        return KitVerdicts.run(selector, Map.of(DefectKit.PARAMETER, defect));
    }

    @TestFactory
    Stream<DynamicTest> everyDefectIsCaughtByItsRule() {
        return DEFECTS.stream().map(defect -> DynamicTest.dynamicTest(defect.name() + " is caught by rule "
                + defect.rule(), () -> {
                    List<Verdict> verdicts = run(defect.name(), selectClass(DefectKit.class));
                    TreeSet<String> failed = new TreeSet<>(CatchMatrixTest::compareRules);
                    verdicts.stream().filter(v -> v.status() == TestExecutionResult.Status.FAILED)
                            .forEach(v -> failed.add(v.rule()));
                    CAUGHT.put(defect.name(), failed);
                    List<Verdict> intended = verdicts.stream().filter(v -> v.rule().equals(defect.rule())
                            && v.status() == TestExecutionResult.Status.FAILED).toList();
                    assertFalse(intended.isEmpty(), "rule " + defect.rule() + " did not catch " + defect.name()
                            + "; rules that failed: " + failed);
                    String message = intended.get(0).message();
                    assertTrue(message.startsWith("rule " + defect.rule() + " MUST"),
                            "the failure does not lead with its rule: " + message);
                    assertTrue(message.contains("If this fails, check:"), "the failure does not say what to check: "
                            + message);
                    for (String phrase : defect.phrases()) {
                        assertTrue(message.contains(phrase), "the failure of rule " + defect.rule() + " for "
                                + defect.name() + " does not say '" + phrase + "': " + message);
                    }
                }));
    }

    /** A race must be caught on every run, not now and then: ten runs of rule 6.7, ten catches. */
    @Test
    void aSharedScratchRaceIsCaughtOnEveryRun() {
        for (int run = 1; run <= 10; run++) {
            List<Verdict> verdicts = run("shared-scratch-race",
                    selectMethod(DefectKit.class, "concurrentOperationsGiveEachThreadItsOwnValues"));
            int attempt = run;
            assertTrue(verdicts.stream().anyMatch(v -> v.rule().equals("6.7")
                    && v.status() == TestExecutionResult.Status.FAILED), "run " + attempt + " of 10 missed the race: "
                    + verdicts);
        }
    }

    @AfterAll
    static void printTheMatrix() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("| defect | meant for rule | rules that failed |");
        lines.add("|---|---|---|");
        for (Defect defect : DEFECTS) {
            TreeSet<String> failed = CAUGHT.get(defect.name());
            lines.add("| " + defect.name() + " | " + defect.rule() + " | "
                    + (failed == null ? "(not run)" : String.join(", ", failed)) + " |");
        }
        lines.forEach(System.out::println);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "catch-matrix.md"), lines);
    }

    private static int compareRules(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return major != 0 ? major : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }
}
