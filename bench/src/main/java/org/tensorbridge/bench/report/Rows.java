package org.tensorbridge.bench.report;

import java.util.List;

/** Every row of the benchmark table, in its order: each measured, except a GPU row where there is no OpenCL device. */
public final class Rows {
    private Rows() {
    }

    /** The rows of {@code BENCHMARKS.md}, not knowing whether there is an OpenCL device. */
    public static List<Row> all() {
        return all(new OpenClRow(null));
    }

    /**
     * The rows of {@code BENCHMARKS.md}.
     *
     * @param openCl what the suite found of the OpenCL device, for the GPU rows
     */
    public static List<Row> all(OpenClRow openCl) {
        return List.of(new P1Row(), new P2Row(), new P3Row(openCl), new P4Row(), new P4bRow(), new P5Row(openCl),
                new P6Row(), new P7Row(), new P8Row(), new P9Row());
    }
}
