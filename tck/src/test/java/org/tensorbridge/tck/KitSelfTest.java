package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * The kit's own tests: it runs itself against deliberately broken backends and asserts that the
 * rule meant to catch each defect fails, with a message that helps, while a correct backend passes.
 */
class KitSelfTest {

    /** The finished test events of one kit run, by rule id. */
    private record Verdict(String rule, TestExecutionResult.Status status, String message) {
    }

    private static List<Verdict> run(Class<? extends BackendTck> kit) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(kit)).execute().allEvents().stream()
                .filter(event -> event.getType() == EventType.FINISHED)
                .map(KitSelfTest::verdict)
                .flatMap(Optional::stream)
                .toList();
    }

    private static Optional<Verdict> verdict(Event event) {
        return event.getTestDescriptor().getSource()
                .filter(MethodSource.class::isInstance)
                .map(source -> ((MethodSource) source).getJavaMethod())
                .map(method -> method.getAnnotation(ConformanceRule.class))
                .map(rule -> {
                    TestExecutionResult result = event.getRequiredPayload(TestExecutionResult.class);
                    String message = result.getThrowable().map(Throwable::getMessage).orElse("");
                    return new Verdict(rule.value(), result.getStatus(), message);
                });
    }

    private static void assertCaught(Class<? extends BackendTck> kit, String rule, String... phrases) {
        List<Verdict> verdicts = run(kit);
        List<Verdict> failures = verdicts.stream()
                .filter(v -> v.rule().equals(rule) && v.status() == TestExecutionResult.Status.FAILED).toList();
        assertFalse(failures.isEmpty(), "rule " + rule + " did not catch " + kit.getSimpleName() + "; verdicts: "
                + verdicts);
        String message = failures.get(0).message();
        assertTrue(message.startsWith("rule " + rule + " MUST"), "the failure does not lead with its rule: " + message);
        assertTrue(message.contains("If this fails, check:"), "the failure does not say what to check: " + message);
        for (String phrase : phrases) {
            assertTrue(message.contains(phrase), "the failure of rule " + rule + " does not say '" + phrase + "': "
                    + message);
        }
    }

    @Test
    void aCorrectBackendPassesEveryMustRule() {
        List<Verdict> verdicts = run(ReferenceBackendConformanceTest.class);
        assertFalse(verdicts.isEmpty(), "the kit ran no rule");
        assertTrue(verdicts.stream().noneMatch(v -> v.status() == TestExecutionResult.Status.FAILED),
                "a correct backend failed: " + verdicts);
    }

    @Test
    void reportsSharedButCopiedIsCaughtBySharingHonesty() {
        assertCaught(BrokenBackends.ReportsSharedButCopiesKit.class, "1.2", "reported SHARED", "does not alias");
    }

    @Test
    void reportsSharedButCopiedIsCaughtByTheNeverRule() {
        assertCaught(BrokenBackends.ReportsSharedButCopiesKit.class, "1.4", "does not alias");
    }

    @Test
    void aCopyThatAliasesIsCaught() {
        assertCaught(BrokenBackends.CopyThatAliasesKit.class, "1.6", "ALWAYS copy", "still aliases");
    }

    @Test
    void readOnlyNotEnforcedIsCaught() {
        assertCaught(BrokenBackends.ReadOnlyNotEnforcedKit.class, "2.1", "ReadOnlyException");
    }

    @Test
    void useAfterCloseNotDetectedIsCaught() {
        assertCaught(BrokenBackends.UseAfterCloseNotDetectedKit.class, "3.2", "after close");
    }

    @Test
    void wrongElementOrderIsCaught() {
        assertCaught(BrokenBackends.WrongElementOrderKit.class, "5.3", "row-major position");
    }

    @Test
    void aLyingCapabilityIsCaught() {
        assertCaught(BrokenBackends.LyingCapabilityKit.class, "1.4", "declares sharesHostMemory but NEVER threw");
    }

    @Test
    void aCoalesceThatKeepsDuplicatesIsCaught() {
        assertCaught(BrokenBackends.CoalesceKeepsDuplicatesKit.class, "10.2", "coalesce()");
    }

    @Test
    void aSparseOperationThatDensifiesIsCaught() {
        assertCaught(BrokenBackends.DensifyingCoalesceKit.class, "10.8", "dense");
    }

    @Test
    void aMaximumThatDropsNanIsCaught() {
        assertCaught(BrokenBackends.MaximumDropsNanKit.class, "12.2", "maximum", "NaN");
    }

    @Test
    void javasPowIsCaught() {
        assertCaught(BrokenBackends.JavaPowKit.class, "12.3", "pow", "1.0 and NaN");
    }

    @Test
    void aSaturatingIntegerSumIsCaught() {
        assertCaught(BrokenBackends.SaturatingSumKit.class, "12.5", "sum int32", "must wrap");
    }

    @Test
    void aTransposeThatIgnoresThePermutationIsCaught() {
        assertCaught(BrokenBackends.TransposeIgnoresPermutationKit.class, "12.4", "transpose", "must be input element");
    }

    /**
     * A backend written against the first operation set (kernels for add, subtract, multiply, divide,
     * matmul, cast and the sparse operations) still conforms once the operation set grew: every MUST rule
     * passes, and the rules of operations it lacks are not applicable.
     */
    @Test
    void aBackendFrozenAtTheFirstOperationSetConforms() {
        List<Verdict> verdicts = run(BrokenBackends.FrozenOperationSetKit.class);
        assertTrue(verdicts.stream().noneMatch(v -> v.status() == TestExecutionResult.Status.FAILED),
                "the frozen backend failed: " + verdicts.stream().filter(v -> v.status()
                        == TestExecutionResult.Status.FAILED).toList());
        for (String rule : List.of("12.1", "12.2", "12.3", "12.4", "12.5")) {
            assertTrue(verdicts.stream().anyMatch(v -> v.rule().equals(rule) && v.status()
                    == TestExecutionResult.Status.ABORTED && v.message().contains("not applicable")),
                    "rule " + rule + " must be not applicable to the frozen backend: " + verdicts);
        }
        for (String rule : List.of("12.6", "12.7", "6.1", "10.1", "11.1")) {
            assertTrue(verdicts.stream().anyMatch(v -> v.rule().equals(rule) && v.status()
                    == TestExecutionResult.Status.SUCCESSFUL), "rule " + rule + " must pass: " + verdicts);
        }
    }

    @Test
    void anUnmetShouldRuleIsAbortedNotFailed() {
        List<Verdict> verdicts = run(BrokenBackends.ReportsColumnMajorStridesKit.class);
        List<Verdict> strides = verdicts.stream().filter(v -> v.rule().equals("1.9")).toList();
        assertFalse(strides.isEmpty(), "rule 1.9 did not run: " + verdicts);
        assertTrue(strides.stream().allMatch(v -> v.status() == TestExecutionResult.Status.ABORTED),
                "an unmet SHOULD rule must be aborted, not failed or passed: " + strides);
        assertTrue(strides.get(0).message().startsWith("SHOULD not met — rule 1.9"),
                "the abort does not say which SHOULD rule: " + strides.get(0).message());
        assertTrue(verdicts.stream().noneMatch(v -> v.status() == TestExecutionResult.Status.FAILED),
                "a backend that only breaks a SHOULD rule failed a MUST rule: " + verdicts);
    }

    @Test
    void everyKitTestCarriesARuleThatRulesMdDefines() {
        for (Method method : BackendTck.class.getMethods()) {
            if (method.isAnnotationPresent(Test.class)
                    || method.isAnnotationPresent(org.junit.jupiter.params.ParameterizedTest.class)) {
                ConformanceRule rule = method.getAnnotation(ConformanceRule.class);
                assertTrue(rule != null, method.getName() + " has no @ConformanceRule");
                assertTrue(RuleCatalog.bundled().find(rule.value()).isPresent(), method.getName() + " names rule "
                        + rule.value() + ", which RULES.md lacks");
            }
        }
    }
}
