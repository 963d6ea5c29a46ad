package org.tensorbridge.tck;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Turns a kit test's failure into a rule verdict: a MUST rule fails with its id, its sentence and
 * what to check; a SHOULD rule that is not met is aborted with what to implement. A test without a
 * rule, or with a rule that {@code RULES.md} lacks, fails: every check must trace to a written rule.
 */
public final class ConformanceExtension implements TestExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof TestAbortedException) {
            throw failure;
        }
        Method method = context.getRequiredTestMethod();
        ConformanceRule rule = method.getAnnotation(ConformanceRule.class);
        if (rule == null) {
            throw new AssertionFailedError("kit test " + method.getName() + " carries no @ConformanceRule", failure);
        }
        RuleDefinition definition = RuleCatalog.bundled().find(rule.value())
                .orElseThrow(() -> new AssertionFailedError("kit test " + method.getName() + " names rule "
                        + rule.value() + ", which RULES.md does not define", failure));
        String what = failure instanceof AssertionError ? failure.getMessage()
                : "unexpected " + failure;
        String verdict = "rule " + definition.id() + " " + definition.level() + " (" + definition.title() + "): " + what
                + "\n  If this fails, check: " + definition.check();
        if (definition.level() == RuleLevel.SHOULD) {
            TestAbortedException aborted = new TestAbortedException("SHOULD not met — " + verdict);
            aborted.addSuppressed(failure);
            throw aborted;
        }
        throw new AssertionFailedError(verdict, failure);
    }
}
