package org.tensorbridge.tck;

/** How binding a rule is. Immutable and thread-safe. */
public enum RuleLevel {
    /** Failing it fails the conformance run. */
    MUST,
    /** Not meeting it is reported as aborted, with what to implement. */
    SHOULD
}
