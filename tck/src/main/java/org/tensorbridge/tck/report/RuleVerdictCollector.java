package org.tensorbridge.tck.report;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.tensorbridge.tck.ConformanceRule;
import org.tensorbridge.tck.RuleCatalog;
import org.tensorbridge.tck.RuleDefinition;
import org.tensorbridge.tck.SmokeStage;

/**
 * Listens to one kit run and turns test results into one verdict per rule: failed if any test of the
 * rule failed; aborted if any aborted for a reason other than "not applicable"; passed if any passed;
 * not applicable if every test that ran said so; not verified if none ran (skipped, the smoke stage
 * failed, or no test exists). Also keeps the smoke stage's failure and the device it published.
 * Not thread-safe; one per run.
 */
final class RuleVerdictCollector implements TestExecutionListener {
    private static final String ASSUMPTION_PREFIX = "Assumption failed: ";
    private static final String NOT_APPLICABLE = "not applicable";

    private final Map<String, List<TestExecutionResult>> results = new LinkedHashMap<>();
    private final Map<String, List<String>> skipped = new LinkedHashMap<>();
    private String smokeFailure;
    private String device;

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest() && method(test).map(m -> m.getDeclaringClass() == SmokeStage.class).orElse(false)) {
            if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                smokeFailure = result.getThrowable().filter(SmokeStage.Failure.class::isInstance)
                        .map(t -> ((SmokeStage.Failure) t).rootCause()).orElseGet(() -> message(result));
            }
        } else if (test.isTest()) {
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

    @Override
    public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
        String published = entry.getKeyValuePairs().get(SmokeStage.DEVICE_ENTRY);
        if (published != null) {
            device = published;
        }
    }

    private static Optional<Method> method(TestIdentifier test) {
        return test.getSource()
                .filter(MethodSource.class::isInstance)
                .map(source -> ((MethodSource) source).getJavaMethod());
    }

    private static Optional<String> rule(TestIdentifier test) {
        return method(test).map(m -> m.getAnnotation(ConformanceRule.class)).map(ConformanceRule::value);
    }

    /** The smoke stage's failure message, or null if it passed or did not run. */
    String smokeFailure() {
        return smokeFailure;
    }

    /** The device the kit's backend reported, or null if the smoke stage did not run. */
    String device() {
        return device;
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
        Optional<TestExecutionResult> failed = first(ran, TestExecutionResult.Status.FAILED);
        if (failed.isPresent()) {
            return result(rule, RuleStatus.FAILED, message(failed.get()));
        }
        List<TestExecutionResult> aborted = ran.stream()
                .filter(r -> r.getStatus() == TestExecutionResult.Status.ABORTED).toList();
        Optional<TestExecutionResult> abortedOtherwise = aborted.stream()
                .filter(r -> !message(r).startsWith(NOT_APPLICABLE)).findFirst();
        if (abortedOtherwise.isPresent()) {
            return result(rule, RuleStatus.ABORTED, message(abortedOtherwise.get()));
        }
        if (first(ran, TestExecutionResult.Status.SUCCESSFUL).isPresent()) {
            return result(rule, RuleStatus.PASSED, "");
        }
        if (!aborted.isEmpty()) {
            return result(rule, RuleStatus.NOT_APPLICABLE, message(aborted.get(0)));
        }
        if (skips.isEmpty()) {
            return result(rule, RuleStatus.NOT_VERIFIED, "no test of the kit verifies this rule");
        }
        String reason = skips.get(0);
        return result(rule, RuleStatus.NOT_VERIFIED, reason.startsWith("not verified") ? reason : "skipped: " + reason);
    }

    private static Optional<TestExecutionResult> first(List<TestExecutionResult> ran, TestExecutionResult.Status status) {
        return ran.stream().filter(r -> r.getStatus() == status).findFirst();
    }

    private static RuleResult result(RuleDefinition rule, RuleStatus status, String message) {
        return new RuleResult(rule.id(), rule.level(), status, message);
    }

    /** The result's message, without JUnit's "Assumption failed: " in front of an assumption's own words. */
    private static String message(TestExecutionResult result) {
        String message = result.getThrowable().map(t -> t.getMessage() != null ? t.getMessage() : t.toString())
                .orElse(result.getStatus().toString());
        return message.startsWith(ASSUMPTION_PREFIX) ? message.substring(ASSUMPTION_PREFIX.length()) : message;
    }
}
