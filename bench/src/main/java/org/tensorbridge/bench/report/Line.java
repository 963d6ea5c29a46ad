package org.tensorbridge.bench.report;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One line of the results table: a tensorbridge figure, the baseline measured beside it, their
 * ratio, the target and whether it is met, and — when it is missed — what limits it. Every figure is
 * written from the run's results. Immutable.
 *
 * @param id the row id, for example {@code P1}
 * @param measure what tensorbridge does, with the size
 * @param baseline what it is compared with
 * @param baselineFigure the baseline's figure, as written
 * @param score tensorbridge's figure, as written
 * @param ratio the ratio, as written ({@code speed 0.973×})
 * @param target the target, as written
 * @param verdict met, missed, no result or context
 * @param limit what limits the line when it misses its target; empty otherwise
 */
public record Line(String id, String measure, String baseline, String baselineFigure, String score, String ratio,
        String target, Verdict verdict, String limit) {

    /** A line comparing two timings (or two allocations, for {@link Criterion.BytesAtMost}). */
    public static Line compare(String id, String measure, Optional<Measurement> score, String baseline,
            Optional<Measurement> base, Criterion criterion, String limitWhenMissed) {
        if (criterion instanceof Criterion.BytesAtMost bound) {
            return compareBytes(id, measure, score, baseline, base, bound, limitWhenMissed);
        }
        String baseFigure = base.map(m -> Format.nanos(m.nanos()) + source(m)).orElse("no result");
        if (score.isEmpty()) {
            return new Line(id, measure, baseline, baseFigure, "no result", "—", criterion.describe(),
                    Verdict.NO_RESULT, "the benchmark did not produce a result in this run; see its log");
        }
        double nanos = score.get().nanos();
        String scoreFigure = Format.nanos(nanos) + error(score.get());
        OptionalDouble speed = base.isPresent() ? OptionalDouble.of(base.get().nanos() / nanos) : OptionalDouble.empty();
        String ratio = speed.isPresent() ? "speed " + Format.ratio(speed.getAsDouble()) + "×" : "—";
        Verdict verdict;
        if (criterion instanceof Criterion.NanosAtMost bound) {
            verdict = nanos <= bound.nanos() ? Verdict.MET : Verdict.MISSED;
        } else if (criterion instanceof Criterion.Context) {
            verdict = Verdict.CONTEXT;
        } else if (speed.isEmpty()) {
            verdict = Verdict.NO_RESULT;
        } else if (criterion instanceof Criterion.SpeedAtLeast bound) {
            verdict = speed.getAsDouble() >= bound.factor() ? Verdict.MET : Verdict.MISSED;
        } else {
            double time = 1 / speed.getAsDouble();
            ratio = "time " + Format.ratio(time) + "×";
            verdict = time <= ((Criterion.TimeAtMost) criterion).factor() ? Verdict.MET : Verdict.MISSED;
        }
        String limit = switch (verdict) {
            case MISSED -> limitWhenMissed;
            case NO_RESULT -> "the baseline did not produce a result in this run; see its log";
            default -> "";
        };
        return new Line(id, measure, baseline, baseFigure, scoreFigure, ratio, criterion.describe(), verdict, limit);
    }

    private static Line compareBytes(String id, String measure, Optional<Measurement> score, String baseline,
            Optional<Measurement> base, Criterion.BytesAtMost bound, String limitWhenMissed) {
        OptionalDouble bytes = score.map(Measurement::allocatedBytes).orElse(OptionalDouble.empty());
        OptionalDouble baseBytes = base.map(Measurement::allocatedBytes).orElse(OptionalDouble.empty());
        String baseFigure = baseBytes.isPresent() ? Format.bytes(baseBytes.getAsDouble()) : "no result";
        if (bytes.isEmpty()) {
            return new Line(id, measure, baseline, baseFigure, "no result", "—", bound.describe(), Verdict.NO_RESULT,
                    "no gc.alloc.rate.norm in this run; run JMH with -prof gc");
        }
        String ratio = baseBytes.isPresent() && baseBytes.getAsDouble() > 0
                ? "bytes " + Format.ratio(bytes.getAsDouble() / baseBytes.getAsDouble()) + "×" : "—";
        Verdict verdict = bytes.getAsDouble() <= bound.bytes() ? Verdict.MET : Verdict.MISSED;
        return new Line(id, measure, baseline, baseFigure, Format.bytes(bytes.getAsDouble()), ratio, bound.describe(),
                verdict, verdict == Verdict.MISSED ? limitWhenMissed : "");
    }

    private static String error(Measurement m) {
        return Double.isNaN(m.errorNanos()) ? "" : " ± " + Format.nanos(m.errorNanos());
    }

    private static String source(Measurement m) {
        return "JMH".equals(m.source()) ? "" : " (" + m.source() + ")";
    }
}
