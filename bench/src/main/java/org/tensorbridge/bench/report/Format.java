package org.tensorbridge.bench.report;

import java.util.Locale;

/** How figures are written in the table: three significant digits, a unit a reader can compare. */
final class Format {
    private Format() {
    }

    /** {@code 45.2 ns}, {@code 3.21 µs}, {@code 12.3 ms}, {@code 1.20 s}. */
    static String nanos(double nanos) {
        if (Double.isNaN(nanos)) {
            return "n/a";
        }
        if (nanos < 1e3) {
            return significant(nanos) + " ns";
        }
        if (nanos < 1e6) {
            return significant(nanos / 1e3) + " µs";
        }
        if (nanos < 1e9) {
            return significant(nanos / 1e6) + " ms";
        }
        return significant(nanos / 1e9) + " s";
    }

    /** {@code 112 B}, {@code 1.50 KiB}, {@code 256 MiB}. */
    static String bytes(double bytes) {
        if (bytes < 1024) {
            return String.format(Locale.ROOT, "%.0f B", bytes);
        }
        if (bytes < 1024 * 1024) {
            return significant(bytes / 1024) + " KiB";
        }
        return significant(bytes / (1024 * 1024)) + " MiB";
    }

    /** A ratio: {@code 0.973}, {@code 12.4}, {@code 1520}. */
    static String ratio(double ratio) {
        return significant(ratio);
    }

    /** A bound the reader compares with: {@code 0.95}, {@code 1.5}, {@code 5}. */
    static String bound(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%s", value);
    }

    private static String significant(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
