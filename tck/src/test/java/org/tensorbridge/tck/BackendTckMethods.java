package org.tensorbridge.tck;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** What the kit consists of, counted from {@link BackendTck}'s methods. */
final class BackendTckMethods {
    private BackendTckMethods() {
    }

    /** The number of the kit's test methods that verify a rule (all but the smoke stage), parameterized or not. */
    static long ruleTests() {
        return Arrays.stream(BackendTck.class.getMethods())
                .filter(m -> m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class))
                .filter(m -> m.isAnnotationPresent(ConformanceRule.class))
                .count();
    }
}
