package org.tensorbridge.tck.report;

import org.tensorbridge.tck.RuleLevel;

/**
 * One rule's verdict for one backend. Immutable and thread-safe.
 *
 * @param id the rule id
 * @param level MUST or SHOULD
 * @param status the verdict
 * @param message why it is not a pass; empty for a pass
 */
public record RuleResult(String id, RuleLevel level, RuleStatus status, String message) {
}
