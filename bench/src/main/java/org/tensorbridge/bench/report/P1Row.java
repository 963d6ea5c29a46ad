package org.tensorbridge.bench.report;

import java.util.ArrayList;
import java.util.List;

/** P1, shared conversion, from {@code P1SharedConversion} and the NumPy figures recorded beside it. */
public final class P1Row implements Row {
    static final List<String> SIZES = List.of("4KiB", "4MiB", "256MiB");
    private static final String TENSORBRIDGE = "P1SharedConversion.tensorbridgeToHostNever";
    private static final String WITH_BUFFER = "P1SharedConversion.tensorbridgeToHostNeverAsByteBuffer";
    private static final String ND4J = "P1SharedConversion.nd4jDataAsNio";

    static final String FIXED_COST = "the objects each call creates: toHost(NEVER) pins the tensor (an Operand), and "
            + "BufferHostArray's constructor makes two ByteBuffer objects (storage.buffer() duplicates the block's "
            + "buffer, then asReadOnlyBuffer() wraps it again; together about half of the bytes), a strides array and an "
            + "AtomicBoolean, besides the BufferHostArray itself. ND4J's asNio() makes one ByteBuffer and a pointer";

    @Override
    public String id() {
        return "P1";
    }

    @Override
    public String measure() {
        return "shared conversion, toHost(CopyPolicy.NEVER), at 4 KiB, 4 MiB, 256 MiB; allocation per call";
    }

    @Override
    public String target() {
        return "time(256 MiB) / time(4 KiB) ≤ 1.5; ≤ 100 ns and ≤ 128 B per call";
    }

    @Override
    public List<Line> lines(JmhResults jmh, PeerResults peers) {
        List<Line> lines = new ArrayList<>();
        for (String size : SIZES) {
            lines.add(Line.compare(id(), "toHost(NEVER) + close, " + size, jmh.find(TENSORBRIDGE, size),
                    "ND4J data().asNio()", jmh.find(ND4J, size), new Criterion.NanosAtMost(100), FIXED_COST));
        }
        for (String size : SIZES.subList(1, SIZES.size())) {
            lines.add(Line.compare(id(), "toHost(NEVER) + close, " + size + " against 4KiB",
                    jmh.find(TENSORBRIDGE, size), "itself at 4KiB", jmh.find(TENSORBRIDGE, "4KiB"),
                    new Criterion.TimeAtMost(1.5), "toHost(NEVER) does no work that grows with the size (no copy, no "
                            + "size-dependent allocation), so a miss here is run-to-run noise on the shared machine: "
                            + "compare the ± error of the two figures"));
        }
        for (String size : SIZES) {
            lines.add(Line.compare(id(), "bytes allocated per call (gc.alloc.rate.norm), " + size,
                    jmh.find(TENSORBRIDGE, size), "ND4J data().asNio()", jmh.find(ND4J, size),
                    new Criterion.BytesAtMost(128), FIXED_COST));
        }
        for (String size : SIZES) {
            lines.add(Line.compare(id(), "toHost(NEVER).asByteBuffer() + close, " + size,
                    jmh.find(WITH_BUFFER, size), "ND4J data().asNio()", jmh.find(ND4J, size),
                    new Criterion.Context(), ""));
        }
        for (String size : SIZES) {
            lines.add(Line.compare(id(), "toHost(NEVER) + close, " + size, jmh.find(TENSORBRIDGE, size),
                    "NumPy np.asarray(a), recorded beside", peers.find("np.asarray(a)", size),
                    new Criterion.Context(), ""));
        }
        return lines;
    }
}
