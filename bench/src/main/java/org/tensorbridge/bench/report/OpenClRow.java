package org.tensorbridge.bench.report;

/**
 * What the suite knows of the OpenCL device for the GPU rows (P3, P5): the device the GPU backend found
 * ({@code platform / name}, as {@code OpenClProbe} prints it), {@code none: reason} where it found none,
 * or nothing when the report was written without that information. Immutable.
 *
 * @param probe the probe's line, or {@code null} when unknown
 */
public record OpenClRow(String probe) {
    /** True when the probe says there is no OpenCL device. */
    public boolean absent() {
        return probe != null && probe.startsWith("none");
    }

    /** True when the device is PoCL's, which runs on the CPU. */
    public boolean pocl() {
        return probe != null && (probe.contains("PoCL") || probe.contains("Portable Computing Language"));
    }

    /** Where the figures come from, for the row's measure text. */
    public String note() {
        if (probe == null) {
            return "where the OpenCL device is PoCL, the figures describe the CPU, not a GPU";
        }
        if (absent()) {
            return "no OpenCL device";
        }
        return "measured on " + probe + (pocl()
                ? ": PoCL runs OpenCL on the CPU, so the figures describe the CPU (device memory is host memory), not a GPU"
                : "");
    }

    /** The status of a GPU row without a device. */
    public String notMeasured() {
        return "not measured: no OpenCL device (" + probe.substring(probe.indexOf(':') + 1).trim() + ")";
    }
}
