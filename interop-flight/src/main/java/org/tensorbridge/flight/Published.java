package org.tensorbridge.flight;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One published name: its description (whose schema, metadata included, every {@code DoGet} stream
 * starts with) and its record batches, which hold references to their Arrow buffers. Immutable once made;
 * any number of {@code DoGet} calls read it at once.
 *
 * <h2>Lifetime</h2>
 * Reference counted: the store holds one reference while the name is published, and every stream in
 * progress one more ({@link #acquire()}), so replacing or deleting a name never pulls memory from under
 * a stream that is sending it. The last {@link #release()} closes the batches, giving their memory back to
 * the allocator. Thread-safe.
 */
final class Published {
    private final FlightTensorInfo info;
    private final List<ArrowRecordBatch> batches;
    private final AtomicInteger holders = new AtomicInteger(1);

    /** Takes over {@code batches}: they are closed with the last release. The caller holds the first reference. */
    Published(FlightTensorInfo info, List<ArrowRecordBatch> batches) {
        this.info = info;
        this.batches = List.copyOf(batches);
    }

    FlightTensorInfo info() {
        return info;
    }

    Schema schema() {
        return info.schema();
    }

    List<ArrowRecordBatch> batches() {
        return batches;
    }

    /** The {@code FlightInfo} of {@code ListFlights} and {@code GetFlightInfo}: one endpoint on this server. */
    FlightInfo flightInfo() {
        return new FlightInfo(info.schema(), TensorNames.descriptor(info.name()),
                List.of(new FlightEndpoint(TensorNames.ticket(info.name()))), info.bytes(), info.rows());
    }

    /** One more holder, unless the last one has already let go; then {@code false}. */
    boolean acquire() {
        while (true) {
            int n = holders.get();
            if (n == 0) {
                return false;
            }
            if (holders.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** One holder fewer; the last closes the batches. */
    void release() {
        if (holders.decrementAndGet() == 0) {
            batches.forEach(ArrowRecordBatch::close);
        }
    }
}
