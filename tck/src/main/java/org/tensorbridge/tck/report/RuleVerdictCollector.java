package org.tensorbridge.tck.report;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.tensorbridge.tck.ConformanceRule;
import org.tensorbridge.tck.RuleCatalog;
import org.tensorbridge.tck.RuleDefinition;

/**
 * Listens to one kit run and turns test results into one verdict per rule: failed if any test of
 * the rule failed, aborted if any was aborted, passed if all passed, not verified if none ran.
 * Not thread-safe; one per run.
 */
final class RuleVerdictCollector implements TestExecutionListener {
    private final Map<String, List<TestExecutionResult>> results = new LinkedHashMap<>();
    private final Map<String, List<String>> skipped = new LinkedHashMap<>();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest()) {
            rule(test).ifPresent(id -> results.computeIfAbsent(id, k -> new ArrayList<>()).add(result));
        } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            // A container that failed or aborted (the backend did not start) decides every rule without a test result.
            results.computeIfAbsent("*", k -> new ArrayList<>()).add(result);
        }
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        rule(test).ifPresent(id -> skipped.computeIfAbsent(id, k -> new ArrayList<>()).add(reason));
    }

    private static Optional<String> rule(TestIdentifier test) {
        return test.getSource()
                .filter(MethodSource.class::isInstance)
                .map(source -> ((MethodSource) source).getJavaMethod())
                .map((Method method) -> method.getAnnotation(ConformanceRule.class))
                .map(ConformanceRule::value);
    }

    List<RuleResult> verdicts(RuleCatalog catalog) {
        List<TestExecutionResult> runFailures = results.getOrDefault("*", List.of());
        List<RuleResult> verdicts = new ArrayList<>();
        for (RuleDefinition rule : catalog.all()) {
            List<TestExecutionResult> ran = new ArrayList<>(results.getOrDefault(rule.id(), List.of()));
            if (ran.isEmpty() && !runFailures.isEmpty()) {
                ran.addAll(runFailures);
            }
            verdicts.add(verdict(rule, ran, skipped.getOrDefault(rule.id(), List.of())));
        }
        return verdicts;
    }

    private static RuleResult verdict(RuleDefinition rule, List<TestExecutionResult> ran, List<String> skips) {
        for (TestExecutionResult.Status status : List.of(TestExecutionResult.Status.FAILED,
                TestExecutionResult.Status.ABORTED)) {
            Optional<TestExecutionResult> first = ran.stream().filter(r -> r.getStatus() == status).findFirst();
            if (first.isPresent()) {
                String message = first.get().getThrowable().map(Throwable::getMessage).orElse(status.toString());
                return new RuleResult(rule.id(), rule.level(),
                        status == TestExecutionResult.Status.FAILED ? RuleStatus.FAILED : RuleStatus.ABORTED, message);
            }
        }
        if (ran.isEmpty()) {
            String why = skips.isEmpty() ? "no test of the kit verifies this rule" : "skipped: " + skips.get(0);
            return new RuleResult(rule.id(), rule.level(), RuleStatus.NOT_VERIFIED, why);
        }
        return new RuleResult(rule.id(), rule.level(), RuleStatus.PASSED, "");
    }
}
