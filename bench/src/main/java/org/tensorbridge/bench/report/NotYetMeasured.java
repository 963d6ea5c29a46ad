package org.tensorbridge.bench.report;

import java.util.List;

/**
 * A row of the table that this suite does not measure yet because tensorbridge lacks the
 * capability it exercises. Immutable.
 *
 * @param id the id
 * @param measure what the row will measure
 * @param target the row's target
 * @param needs the capability the row waits for
 */
public record NotYetMeasured(String id, String measure, String target, String needs) implements Row {
    @Override
    public List<Line> lines(JmhResults jmh, PeerResults peers) {
        return List.of();
    }

    @Override
    public String notMeasuredBecause() {
        return "needs " + needs;
    }
}
