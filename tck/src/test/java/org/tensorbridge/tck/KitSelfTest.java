package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.tensorbridge.tck.KitVerdicts.Verdict;

/**
 * The kit's own tests: a correct backend passes every MUST rule, a backend that breaks only a SHOULD rule
 * is aborted there and fails nothing, a backend of the first operation set still conforms, and every test
 * carries a rule. The deliberately broken backends and the rules that catch them are {@link CatchMatrixTest}.
 */
class KitSelfTest {

    private static List<Verdict> run(Class<? extends BackendTck> kit) {
        return KitVerdicts.run(selectClass(kit), Map.of());
    }

    @Test
    void aCorrectBackendPassesEveryMustRule() {
        List<Verdict> verdicts = run(ReferenceBackendConformanceTest.class);
        assertFalse(verdicts.isEmpty(), "the kit ran no rule");
        assertTrue(verdicts.stream().noneMatch(v -> v.status() == TestExecutionResult.Status.FAILED),
                "a correct backend failed: " + verdicts);
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
            if ((method.isAnnotationPresent(Test.class)
                    || method.isAnnotationPresent(org.junit.jupiter.params.ParameterizedTest.class))
                    && !ConformanceExtension.isSmoke(method)) {
                ConformanceRule rule = method.getAnnotation(ConformanceRule.class);
                assertTrue(rule != null, method.getName() + " has no @ConformanceRule");
                assertTrue(RuleCatalog.bundled().find(rule.value()).isPresent(), method.getName() + " names rule "
                        + rule.value() + ", which RULES.md lacks");
            }
        }
    }
}
