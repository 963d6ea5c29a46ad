package org.tensorbridge.tck.report;

import java.util.Locale;

/** The verdict on one rule for one backend, as the report spells it. Immutable and thread-safe. */
public enum RuleStatus {
    /** Every test of the rule that ran passed. */
    PASSED,
    /** A test of a MUST rule failed. */
    FAILED,
    /** A SHOULD rule not met, or a test that could not judge this backend for another reason it gives. */
    ABORTED,
    /**
     * The rule does not apply to this backend's declarations (its tests aborted with a reason starting
     * "not applicable", for example an operation the backend has no kernel for).
     */
    NOT_APPLICABLE,
    /** No test verified the rule: none exists, its tests were skipped, or the smoke stage failed. */
    NOT_VERIFIED;

    /** {@code passed}, {@code failed}, {@code aborted}, {@code not_applicable} or {@code not_verified}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The label for people: {@code not applicable} rather than {@code not_applicable}. */
    public String text() {
        return label().replace('_', ' ');
    }
}
