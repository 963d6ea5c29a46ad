package org.tensorbridge.bench.report;

import java.util.ArrayList;
import java.util.List;

/** P7, sparse × dense matmul, from {@code P7SparseMatmul} and SciPy recorded beside it. */
public final class P7Row implements Row {
    private static final String B = "P7SparseMatmul.";

    static final String LIMIT = "the CSR row loops themselves (CsrRowProduct, vectorised, both cores): a canonical COO "
            + "operand is read in place, in chunks, with no conversion (about 1.55 MB allocated per call: the dense "
            + "operand split into row arrays and each block's scratch); a JFR profile puts about 80 % of both threads' "
            + "samples in the loop over output columns and about 15 % in reading the chunks; per stored entry the loop "
            + "costs about 20 ns on one thread alone and about 31 ns per thread with both running (the two cores of "
            + "this machine slow each other down), against 13-20 ns per entry for SciPy's single-threaded loop; "
            + "eight entries per pass instead of four measured 1.5x slower (A/B in one session). The same loop on "
            + "prepared CSR arrays, one thread (P7b, not in this suite), runs the 1 % product in 1.8-2.0 ms. Both "
            + "sides swing between runs of this suite: SciPy's own 1 % figure has been 2.04 to 3.41 ms, and this line "
            + "has been met and missed in consecutive runs";

    @Override
    public String id() {
        return "P7";
    }

    @Override
    public String measure() {
        return "sparse × dense matmul on the CPU backend (1 % and 10 % density, 4096 × 4096 × 64, float32), against "
                + "SciPy CSR @ dense run by the same command";
    }

    @Override
    public String target() {
        return "≥ 1× SciPy";
    }

    @Override
    public List<Line> lines(JmhResults jmh, PeerResults peers) {
        List<Line> lines = new ArrayList<>();
        for (String density : List.of("0.01", "0.10")) {
            lines.add(Line.compare(id(), "COO sparse.matmul(dense), 4096 × 4096 × 64, density " + density,
                    jmh.find(B + "tensorbridgeSparseMatmul", density), "SciPy csr_matrix @ ndarray, recorded beside",
                    peers.find("csr @ dense", density), new Criterion.SpeedAtLeast(1), LIMIT));
        }
        return lines;
    }
}
