package org.tensorbridge.tck;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * Display names that carry the rule: a kit test is named {@code 1.2 MUST — <the rule's sentence>
 * [method]}, the smoke stage {@code smoke — create, read back, share, one operation}. IDEs, the console
 * and surefire's XML reports (with the phrased-name reporter, see {@code tck/BACKEND-AUTHORS.md}) then
 * show which rule each test is. Methods without a rule keep JUnit's standard name. Stateless.
 */
public final class RuleDisplayNames extends DisplayNameGenerator.Standard {
    /** Instantiated by JUnit through {@code @DisplayNameGeneration}. */
    public RuleDisplayNames() {
    }

    @Override
    public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass,
            Method testMethod) {
        if (ConformanceExtension.isSmoke(testMethod)) {
            return "smoke — create, read back with toHost(ALWAYS), share if declared, one operation";
        }
        ConformanceRule rule = testMethod.getAnnotation(ConformanceRule.class);
        if (rule == null) {
            return super.generateDisplayNameForMethod(enclosingInstanceTypes, testClass, testMethod);
        }
        return RuleCatalog.bundled().find(rule.value())
                .map(definition -> definition.id() + " " + definition.level() + " — " + definition.title())
                .orElse(rule.value() + " (not in RULES.md)")
                + " [" + testMethod.getName() + "]";
    }
}
