package org.tensorbridge.bench.report;

import java.util.List;

/**
 * One row of the benchmark table: what it measures, its target, and the lines it contributes
 * to {@code BENCHMARKS.md} from a run's results. A new benchmark (GPU, Arrow, sparse, graph) is a new
 * benchmark class plus a new {@code Row}, listed in {@link Rows}.
 */
public interface Row {
    /** The id, for example {@code P1}. */
    String id();

    /** What is measured, in a few words. */
    String measure();

    /** The target, as the issue states it. */
    String target();

    /** The table lines from this run's results; empty for a row not measured yet. */
    List<Line> lines(JmhResults jmh, PeerResults peers);

    /** Why the row is not measured yet ({@code needs ...}), or {@code null} when it is measured. */
    default String notMeasuredBecause() {
        return null;
    }

    /**
     * The row's status in the summary when it is not measured: {@code not yet measured: needs ...} by
     * default; a GPU row on a machine without OpenCL says {@code not measured: no OpenCL device}.
     */
    default String notMeasuredStatus() {
        return "not yet measured: " + notMeasuredBecause();
    }
}
