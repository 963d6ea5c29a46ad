package org.tensorbridge.tck.report;

import java.util.Locale;

/** The verdict on one rule for one backend, as the report spells it. Immutable and thread-safe. */
public enum RuleStatus {
    /** Every test of the rule passed. */
    PASSED,
    /** A test of a MUST rule failed. */
    FAILED,
    /** A SHOULD rule not met, or a rule that does not apply to this backend's declarations. */
    ABORTED,
    /** No test verifies the rule. */
    NOT_VERIFIED;

    /** {@code passed}, {@code failed}, {@code aborted} or {@code not_verified}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
