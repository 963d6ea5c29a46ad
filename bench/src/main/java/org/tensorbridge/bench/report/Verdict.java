package org.tensorbridge.bench.report;

/** Whether a line of the table meets its target. */
public enum Verdict {
    /** The run's figures meet the target. */
    MET("met"),
    /** They do not. */
    MISSED("**missed**"),
    /** A result the line needs is missing from the run. */
    NO_RESULT("no result"),
    /** The line has no target; it gives context. */
    CONTEXT("—");

    private final String text;

    Verdict(String text) {
        this.text = text;
    }

    /** How the table writes it. */
    public String text() {
        return text;
    }
}
