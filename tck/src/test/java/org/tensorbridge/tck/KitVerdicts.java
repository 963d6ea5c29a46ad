package org.tensorbridge.tck;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** Runs the kit inside a test, through JUnit's test kit, and reads one verdict per finished kit test. */
final class KitVerdicts {
    private KitVerdicts() {
    }

    /** The outcome of one kit test: its rule, its status and its failure message (empty if none). */
    record Verdict(String rule, TestExecutionResult.Status status, String message) {
    }

    /** The verdicts of running {@code selector} with the JUnit configuration {@code parameters}. */
    static List<Verdict> run(DiscoverySelector selector, Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter").configurationParameters(parameters).selectors(selector)
                .execute().allEvents().stream()
                .filter(event -> event.getType() == EventType.FINISHED)
                .map(KitVerdicts::verdict)
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
                    return new Verdict(rule.value(), result.getStatus(),
                            result.getThrowable().map(Throwable::getMessage).orElse(""));
                });
    }
}
