package org.tensorbridge.bench.report;

/**
 * What a line of the table is judged against. Ratios are of two results of the same run:
 * <em>speed</em> is baseline time ÷ score time (above 1: faster than the baseline), <em>time</em> is
 * score time ÷ baseline time. Immutable.
 */
public sealed interface Criterion {
    /** Speed at least {@code factor} × the baseline's. */
    record SpeedAtLeast(double factor) implements Criterion {
    }

    /** Time at most {@code factor} × the baseline's. */
    record TimeAtMost(double factor) implements Criterion {
    }

    /** At most {@code nanos} per call, whatever the baseline; the ratio shown is the speed against it. */
    record NanosAtMost(double nanos) implements Criterion {
    }

    /** At most {@code bytes} allocated per call ({@code gc.alloc.rate.norm}). */
    record BytesAtMost(double bytes) implements Criterion {
    }

    /** No target: the line puts a peer's figure beside the score; the ratio shown is the speed. */
    record Context() implements Criterion {
    }

    /** {@code ≥ 0.95× speed}, {@code ≤ 1.5× time}, {@code ≤ 100 ns}, {@code ≤ 128 B}, or a dash. */
    default String describe() {
        if (this instanceof SpeedAtLeast s) {
            return "speed ≥ " + Format.bound(s.factor()) + "×";
        }
        if (this instanceof TimeAtMost t) {
            return "time ≤ " + Format.bound(t.factor()) + "×";
        }
        if (this instanceof NanosAtMost n) {
            return "≤ " + Format.nanos(n.nanos()) + " per call";
        }
        if (this instanceof BytesAtMost b) {
            return "≤ " + Format.bytes(b.bytes()) + " per call";
        }
        return "— (context)";
    }
}
