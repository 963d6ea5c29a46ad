package org.tensorbridge.bench.report;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * One benchmark result: a JMH score (average time per call) or a figure recorded beside JMH (NumPy),
 * with the bytes allocated per call when {@code -prof gc} measured them. Immutable.
 *
 * @param benchmark {@code Class.method} for JMH, the peer's expression otherwise
 * @param params the JMH parameters (for example {@code size=4KiB})
 * @param nanos average time per call, in nanoseconds
 * @param errorNanos JMH's 99.9% confidence half-width, in nanoseconds; NaN when not known
 * @param allocatedBytes {@code gc.alloc.rate.norm}, bytes allocated per call, when measured
 * @param source where the figure comes from, for the table (for example {@code JMH} or {@code timeit})
 */
public record Measurement(String benchmark, Map<String, String> params, double nanos, double errorNanos,
        OptionalDouble allocatedBytes, String source) {
    public Measurement {
        params = Map.copyOf(params);
    }

    /** Nanoseconds in one {@code unit} of JMH's score units ({@code ns/op}, {@code us/op}, ...). */
    static double nanosPer(String unit) {
        String time = unit.endsWith("/op") ? unit.substring(0, unit.length() - 3) : unit;
        return switch (time) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> throw new IllegalArgumentException("unit '" + unit + "' is not a time per operation; run the "
                    + "benchmarks in average-time mode (-bm avgt)");
        };
    }
}
