package org.tensorbridge.tck.report;

import java.util.List;

/**
 * The conformance of one backend: whether it was available, and each rule's verdict.
 * Immutable and thread-safe.
 *
 * @param name the provider's name
 * @param available whether its probe said it can run here
 * @param reason why it is unavailable; null when available
 * @param device the device it ran on; null when unavailable
 * @param rules one verdict per rule of RULES.md; empty when unavailable
 */
public record BackendReport(String name, boolean available, String reason, String device, List<RuleResult> rules) {
    /** Number of rules with this status. */
    public long count(RuleStatus status) {
        return rules.stream().filter(r -> r.status() == status).count();
    }

    /** True if a MUST rule failed. */
    public boolean failedMust() {
        return count(RuleStatus.FAILED) > 0;
    }
}
