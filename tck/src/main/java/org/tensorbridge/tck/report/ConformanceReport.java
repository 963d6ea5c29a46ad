package org.tensorbridge.tck.report;

import java.util.List;

/**
 * The result of a conformance run over one or more backends. Immutable and thread-safe.
 *
 * @param seed the seed of the kit's random inputs
 * @param backends one report per backend seen, in the order tested
 * @param missingRequired required backends that were not available or not found, with the reason
 */
public record ConformanceReport(long seed, List<BackendReport> backends, List<String> missingRequired) {
    /** True if every available backend met every MUST rule and every required backend was there. */
    public boolean passed() {
        return missingRequired.isEmpty() && backends.stream().noneMatch(BackendReport::failedMust);
    }
}
