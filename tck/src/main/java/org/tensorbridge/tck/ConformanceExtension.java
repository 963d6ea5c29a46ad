package org.tensorbridge.tck;

import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Turns a kit test's failure into a rule verdict: a MUST rule fails with its id, its sentence and
 * what to check; a SHOULD rule that is not met is aborted with what to implement. A test without a
 * rule, or with a rule that {@code RULES.md} lacks, fails: every check must trace to a written rule.
 *
 * <p>A failure caused by an exception from backend code also names where it was thrown and the spi hook
 * it was in ({@link BackendFault}). When the {@link SmokeStage} fails, every later test of the class is
 * skipped as "not verified: smoke failed: <i>cause</i>" (a rule cannot be judged on a backend that
 * cannot create, read back or share a tensor), so the one root failure is not buried under dozens of
 * misleading ones. Stateless; the smoke failure lives in the test class's extension store.
 */
public final class ConformanceExtension implements TestExecutionExceptionHandler, ExecutionCondition,
        LifecycleMethodExecutionExceptionHandler {
    /** The prefix of the skip reason of every rule after a failed smoke stage. */
    public static final String SMOKE_FAILED = "not verified: smoke failed: ";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            ConformanceExtension.class);
    private static final String SMOKE_FAILURE = "smoke failure";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        if (method.isEmpty() || isSmoke(method.get())) {
            return ConditionEvaluationResult.enabled("not a rule after the smoke stage");
        }
        String smoke = context.getStore(NAMESPACE).get(SMOKE_FAILURE, String.class);
        return smoke == null ? ConditionEvaluationResult.enabled("the smoke stage passed")
                : ConditionEvaluationResult.disabled(SMOKE_FAILED + smoke);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof TestAbortedException) {
            throw failure;
        }
        Method method = context.getRequiredTestMethod();
        if (isSmoke(method)) {
            ExtensionContext kit = context.getParent().orElse(context);
            kit.getStore(NAMESPACE).put(SMOKE_FAILURE, failure instanceof SmokeStage.Failure smoke ? smoke.rootCause()
                    : firstLine(String.valueOf(failure)));
            throw failure;
        }
        ConformanceRule rule = method.getAnnotation(ConformanceRule.class);
        if (rule == null) {
            throw new AssertionFailedError("kit test " + method.getName() + " carries no @ConformanceRule", failure);
        }
        RuleDefinition definition = RuleCatalog.bundled().find(rule.value())
                .orElseThrow(() -> new AssertionFailedError("kit test " + method.getName() + " names rule "
                        + rule.value() + ", which RULES.md does not define", failure));
        String what = failure instanceof AssertionError ? failure.getMessage()
                : "unexpected " + failure;
        String where = BackendFault.of(failure).map(fault -> "\n  " + fault.describe()).orElse("");
        String verdict = "rule " + definition.id() + " " + definition.level() + " (" + definition.title() + "): " + what
                + where + "\n  If this fails, check: " + definition.check();
        if (definition.level() == RuleLevel.SHOULD) {
            TestAbortedException aborted = new TestAbortedException("SHOULD not met — " + verdict);
            aborted.addSuppressed(failure);
            throw aborted;
        }
        throw new AssertionFailedError(verdict, failure);
    }

    /** A backend that cannot even start (its provider's {@code create()} threw) is told where. */
    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure)
            throws Throwable {
        if (failure instanceof TestAbortedException) {
            throw failure;
        }
        Optional<BackendFault> fault = BackendFault.of(failure);
        if (fault.isEmpty()) {
            throw failure;
        }
        throw new AssertionFailedError("the backend did not start: " + failure + "\n  " + fault.get().describe(),
                failure);
    }

    static boolean isSmoke(Method method) {
        return method.getDeclaringClass() == SmokeStage.class;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
