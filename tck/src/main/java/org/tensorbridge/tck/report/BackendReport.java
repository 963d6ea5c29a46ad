package org.tensorbridge.tck.report;

import java.util.List;
import org.tensorbridge.tck.RuleDefinition;

/**
 * The conformance of one backend: whether it was available, whether the kit's smoke stage passed, and
 * each rule's verdict. Immutable and thread-safe.
 *
 * @param name the provider's name
 * @param available whether its probe said it can run here
 * @param reason why it is unavailable; null when available
 * @param device the device it ran on; null when unavailable or unknown
 * @param rules one verdict per rule of RULES.md; empty when unavailable
 * @param smokeFailure the smoke stage's failure (the step, its cause and the hook that threw); null when
 *     it passed or did not run
 */
public record BackendReport(String name, boolean available, String reason, String device, List<RuleResult> rules,
        String smokeFailure) {
    /** The report of a backend that was not tested: unavailable here, or not found. */
    public static BackendReport unavailable(String name, String reason) {
        return new BackendReport(name, false, reason, null, List.of(), null);
    }

    /** Number of rules with this status. */
    public long count(RuleStatus status) {
        return rules.stream().filter(r -> r.status() == status).count();
    }

    /** True if a MUST rule failed, or the smoke stage did (and with it every rule went unverified). */
    public boolean failedMust() {
        return count(RuleStatus.FAILED) > 0 || smokeFailure != null;
    }

    /** The verdict on {@code rule}, or not verified if this report has none. */
    public RuleResult verdict(RuleDefinition rule) {
        return rules.stream().filter(r -> r.id().equals(rule.id())).findFirst()
                .orElse(new RuleResult(rule.id(), rule.level(), RuleStatus.NOT_VERIFIED, "not in this run"));
    }
}
