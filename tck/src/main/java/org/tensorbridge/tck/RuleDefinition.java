package org.tensorbridge.tck;

/**
 * One rule as {@code RULES.md} writes it. Immutable and thread-safe.
 *
 * @param id the rule id, for example {@code 1.2}
 * @param level MUST or SHOULD
 * @param title the rule in one sentence
 * @param why why the rule exists
 * @param check what to check when it fails
 */
public record RuleDefinition(String id, RuleLevel level, String title, String why, String check) {
}
