package org.tensorbridge.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class LineTest {
    private static Optional<Measurement> nanos(double nanos) {
        return Optional.of(new Measurement("X.y", Map.of(), nanos, Double.NaN, OptionalDouble.empty(), "JMH"));
    }

    private static Optional<Measurement> bytes(double bytes) {
        return Optional.of(new Measurement("X.y", Map.of(), 1, Double.NaN, OptionalDouble.of(bytes), "JMH"));
    }

    @Test
    void speedIsBaselineTimeOverScoreTime() {
        Line line = Line.compare("P2", "m", nanos(100), "b", nanos(95), new Criterion.SpeedAtLeast(0.95), "why");
        assertEquals("speed 0.950×", line.ratio());
        assertEquals(Verdict.MET, line.verdict());
        assertEquals("", line.limit());

        Line slower = Line.compare("P2", "m", nanos(100), "b", nanos(94), new Criterion.SpeedAtLeast(0.95), "why");
        assertEquals(Verdict.MISSED, slower.verdict());
        assertEquals("why", slower.limit());
    }

    @Test
    void timeIsScoreTimeOverBaselineTime() {
        Line line = Line.compare("P1", "m", nanos(160), "b", nanos(100), new Criterion.TimeAtMost(1.5), "why");
        assertEquals("time 1.60×", line.ratio());
        assertEquals(Verdict.MISSED, line.verdict());
        assertEquals("time ≤ 1.5×", line.target());
    }

    @Test
    void absoluteBoundsIgnoreTheBaselineButShowTheSpeed() {
        Line line = Line.compare("P1", "m", nanos(90), "b", nanos(300), new Criterion.NanosAtMost(100), "why");
        assertEquals(Verdict.MET, line.verdict());
        assertEquals("speed 3.33×", line.ratio());
        assertEquals("≤ 100 ns per call", line.target());
    }

    @Test
    void allocationComparesBytesPerCall() {
        Line line = Line.compare("P1", "m", bytes(232), "b", bytes(112), new Criterion.BytesAtMost(128), "why");
        assertEquals("232 B", line.score());
        assertEquals("112 B", line.baselineFigure());
        assertEquals("bytes 2.07×", line.ratio());
        assertEquals(Verdict.MISSED, line.verdict());
    }

    @Test
    void aMissingResultIsSaidSoNeverGuessed() {
        Line noScore = Line.compare("P4", "m", Optional.empty(), "b", nanos(1), new Criterion.SpeedAtLeast(1), "why");
        assertEquals(Verdict.NO_RESULT, noScore.verdict());
        assertEquals("no result", noScore.score());
        Line noBaseline = Line.compare("P4", "m", nanos(1), "b", Optional.empty(), new Criterion.SpeedAtLeast(1), "why");
        assertEquals(Verdict.NO_RESULT, noBaseline.verdict());
        assertTrue(noBaseline.limit().contains("baseline did not produce a result"));
    }

    @Test
    void contextLinesHaveNoVerdict() {
        Line line = Line.compare("P4", "m", nanos(2000), "NumPy", nanos(500), new Criterion.Context(), "");
        assertEquals(Verdict.CONTEXT, line.verdict());
        assertEquals("speed 0.250×", line.ratio());
    }
}
