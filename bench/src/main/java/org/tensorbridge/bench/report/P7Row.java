package org.tensorbridge.bench.report;

import java.util.ArrayList;
import java.util.List;

/** P7, sparse × dense matmul, from {@code P7SparseMatmul} and SciPy recorded beside it. */
public final class P7Row implements Row {
    private static final String B = "P7SparseMatmul.";

    static final String LIMIT = "the CPU backend's CSR row loops (CsrSparseMatmul, CsrRowProduct: vectorised, both cores) "
            + "run alone at about SciPy's speed (P7bCsrRowLoops); the call adds converting the COO input to CSR every "
            + "time (12-15 % of a JFR profile's samples, 16 bytes of int64 index read per entry) and copying the values "
            + "and the dense rows into Java arrays (gc.alloc.rate.norm: about 14.7 MB per call at 10 %); SciPy starts "
            + "from a CSR matrix with int32 indices";

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
