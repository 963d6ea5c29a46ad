package org.tensorbridge.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** P9, tensors on Arrow Flight over loopback, from {@code P9FlightTransfer}. */
public final class P9Row implements Row {
    private static final String B = "P9FlightTransfer.";
    private static final String SIZE = "256MiB";
    private static final double BYTES = 256.0 * 1024 * 1024;

    static final String RECEIVE = "both sides pay Flight Java 19's receive path, which copies each message twice "
            + "(gRPC's buffers into a heap array, then into one Arrow buffer: GetReadableBuffer.readIntoBuffer); the "
            + "tensorbridge get adds a GetFlightInfo round trip, the import (ArrowImport over the received buffer) and "
            + "the validity bitmaps Arrow allocates on load; the server sends from the published memory with Flight's "
            + "zero-copy write, the raw server with Flight's default copying write";
    static final String SCALING = "server and clients share one JVM on a small shared machine: every transfer "
            + "is memory copies (Flight's two receive copies, the kernel's loopback) competing for the same cores and "
            + "memory bandwidth";

    @Override
    public String id() {
        return "P9";
    }

    @Override
    public String measure() {
        return "Arrow Flight (interop-flight) DoGet of a 256 MiB float32 tensor over loopback, imported without a "
                + "copy (get, NEVER), against a plain Flight DoGet of the same bytes as one Float4 column; 1, 2 and 4 "
                + "clients at once (aggregate)";
    }

    @Override
    public String target() {
        return "≥ 0.9× raw Flight DoGet; the aggregate throughput of 2 and 4 clients stated";
    }

    @Override
    public List<Line> lines(JmhResults jmh, PeerResults peers) {
        List<Line> lines = new ArrayList<>();
        Optional<Measurement> one = jmh.find(B + "tensorbridgeGet", SIZE);
        Optional<Measurement> raw = jmh.find(B + "rawFlightGet", SIZE);
        lines.add(Line.compare(id(), "TensorFlightClient.get(NEVER), 256 MiB, 1 client" + rate(one, 1), one,
                "Flight DoGet of one Float4 column, FlightStream.next()" + rate(raw, 1), raw,
                new Criterion.SpeedAtLeast(0.9), RECEIVE));
        for (int clients : new int[] {2, 4}) {
            Optional<Measurement> many = jmh.find(B + "tensorbridgeGet" + clients + "Clients", SIZE);
            // Time per tensor delivered by all clients together: the speed against one client is the scaling.
            Optional<Measurement> perTensor = many.map(m -> new Measurement(m.benchmark(), m.params(),
                    m.nanos() / clients, m.errorNanos() / clients, m.allocatedBytes(), m.source()));
            lines.add(Line.compare(id(), "the same, " + clients + " clients at once: time per tensor delivered, "
                    + "aggregate" + rate(many, clients), perTensor, "itself with 1 client", one,
                    new Criterion.Context(), SCALING));
        }
        return lines;
    }

    /** {@code  (1.23 GB/s)}: the throughput of {@code clients} calls of the measured time, or nothing. */
    private static String rate(Optional<Measurement> measurement, int clients) {
        return measurement.map(m -> String.format(Locale.ROOT, " (%.2f GB/s)", clients * BYTES / m.nanos()))
                .orElse("");
    }
}
