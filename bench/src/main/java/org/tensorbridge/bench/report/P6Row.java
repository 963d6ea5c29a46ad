package org.tensorbridge.bench.report;

import java.util.ArrayList;
import java.util.List;

/** P6, Arrow export and import, from {@code P6ArrowInterop}. */
public final class P6Row implements Row {
    private static final String B = "P6ArrowInterop.";

    static final String BITMAPS = "Arrow allocates validity bitmaps itself (one bit per row and per element, all "
            + "set), so an export pays a memset of elements / 8 bytes and an import a scan of the same bitmaps for "
            + "nulls: work that grows with the size, where the shared data buffer does not";
    static final String SMALL = "at 4 KiB the element-wise fill is only 1024 set calls on a vector of one small "
            + "buffer, a few microseconds, so 100× would mean building or reading the whole column in a hundredth of "
            + "that; the fixed cost of an export (Arrow field and extension type, fixed-size-list and float vectors, "
            + "allocator accounting, the foreign-allocation wrapper) or of an import (type checks, null scan, the "
            + "backend's tensor over the buffer) is more than that on its own";

    @Override
    public String id() {
        return "P6";
    }

    @Override
    public String measure() {
        return "Arrow (interop-arrow) export and import of a float32 tensor at 4 KiB and 256 MiB, export at 64 MiB, "
                + "against filling a Float4Vector element by element";
    }

    @Override
    public String target() {
        return "256 MiB / 4 KiB ≤ 2; ≥ 100× the element-wise fill";
    }

    @Override
    public List<Line> lines(JmhResults jmh, PeerResults peers) {
        List<Line> lines = new ArrayList<>();
        String fill = "Float4Vector allocateNew + set per element + setValueCount, same size";
        for (String size : List.of("4KiB", "64MiB", "256MiB")) {
            lines.add(Line.compare(id(), "ArrowExport.export (shared), " + size, jmh.find(B + "tensorbridgeExport", size),
                    fill, jmh.find(B + "arrowFillElementByElement", size), new Criterion.SpeedAtLeast(100),
                    size.equals("4KiB") ? SMALL : BITMAPS));
        }
        for (String size : List.of("4KiB", "256MiB")) {
            lines.add(Line.compare(id(), "ArrowImport.toTensor (NEVER, shared), " + size,
                    jmh.find(B + "tensorbridgeImport", size), fill, jmh.find(B + "arrowFillElementByElement", size),
                    new Criterion.SpeedAtLeast(100), size.equals("4KiB") ? SMALL : BITMAPS));
        }
        lines.add(Line.compare(id(), "ArrowExport.export, 256MiB", jmh.find(B + "tensorbridgeExport", "256MiB"),
                "itself at 4 KiB", jmh.find(B + "tensorbridgeExport", "4KiB"), new Criterion.TimeAtMost(2), BITMAPS));
        lines.add(Line.compare(id(), "ArrowImport.toTensor, 256MiB", jmh.find(B + "tensorbridgeImport", "256MiB"),
                "itself at 4 KiB", jmh.find(B + "tensorbridgeImport", "4KiB"), new Criterion.TimeAtMost(2), BITMAPS));
        return lines;
    }
}
