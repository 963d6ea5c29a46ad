package org.tensorbridge.bench.report;

import java.util.List;

/** Every row of the benchmark table, in its order: the measured ones and those still waiting. */
public final class Rows {
    private Rows() {
    }

    /** The rows of {@code BENCHMARKS.md}. */
    public static List<Row> all() {
        return List.of(
                new P1Row(),
                new P2Row(),
                new NotYetMeasured("P3", "GPU backend device → host at 4 MiB and 256 MiB, against raw JOCL "
                        + "clEnqueueReadBuffer into a direct buffer", "≥ 0.9×",
                        "a benchmark class (backend-gpu exists; drafts compare toHost with raw clEnqueueReadBuffer) and a real GPU: on PoCL the figure would describe the CPU"),
                new P4Row(),
                new NotYetMeasured("P4b", "a small graph (two fed inputs, one add, one fetch) through Session.run at "
                        + "1 K and 1 M, against TensorFlow Java's Session.runner().feed().fetch().run()",
                        "≤ 5 µs per run at 1 K; ≥ 1× TensorFlow Java at 1 M",
                        "a benchmark class (graph execution exists) against TensorFlow Java's Session.runner()"),
                new NotYetMeasured("P5", "GPU backend, a graph of three elementwise ops at 16 M, against the same three "
                        + "ops eagerly", "≥ 2× (fusion)", "a benchmark class (fused kernels exist in backend-gpu) and a real GPU: on PoCL the figure would describe the CPU"),
                new NotYetMeasured("P6", "Arrow export and import at 4 KiB and 256 MiB, export at 64 MiB, against "
                        + "filling a Float4Vector element by element",
                        "256 MiB / 4 KiB ≤ 2; ≥ 100× the element-wise fill",
                        "a benchmark class (interop-arrow exists; rough timings show validity bitmaps make the 4 KiB / 256 MiB ratio unreachable)"),
                new NotYetMeasured("P7", "sparse × dense matmul (1 % and 10 % density, 4096 × 4096 × 64), against "
                        + "SciPy CSR @ dense run by the same command", "≥ 1×",
                        "a benchmark class (sparse × dense matmul exists) and SciPy timed by the same command"));
    }
}
