package org.tensorbridge.flight;

import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightClient.ClientStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * One {@code DoPut} from the client: the rows of a root sent in batches of at most {@code batchBytes} bytes
 * of data, each a slice of the root's buffers (no copy), written to the connection straight from them
 * ({@code setUseZeroCopy}). Returns once the server has accepted the whole stream; a refusal is the server's
 * Flight status. Stateless.
 */
final class OutgoingStream {
    private OutgoingStream() {
    }

    /**
     * Sends {@code source} (kept by the caller, and unchanged) to be published as {@code name}.
     *
     * @param rowBytes data bytes per row, to size the batches
     * @throws org.apache.arrow.flight.FlightRuntimeException as the server refused the put
     */
    static void put(FlightClient flight, String name, VectorSchemaRoot source, long batchBytes, long rowBytes,
            BufferAllocator allocator, CallOption... options) {
        // The slices are loaded into the stream's root, which must be of the source's root allocator.
        BufferAllocator sourceAllocator = source.getFieldVectors().isEmpty() ? allocator
                : source.getVector(0).getAllocator();
        try (VectorSchemaRoot out = VectorSchemaRoot.create(source.getSchema(), sourceAllocator)) {
            AsyncPutListener result = new AsyncPutListener();
            ClientStreamListener listener = flight.startPut(TensorNames.descriptor(name), out, result, options);
            try {
                listener.setUseZeroCopy(true);
                VectorLoader loader = new VectorLoader(out);
                int rows = source.getRowCount();
                int step = BatchStreamer.rowsPerBatch(batchBytes, Math.max(1, rowBytes));
                if (rows == 0) {
                    listener.putNext();
                }
                for (int from = 0; from < rows && !result.isCancelled(); from += step) {
                    try (VectorSchemaRoot slice = source.slice(from, Math.min(step, rows - from));
                            ArrowRecordBatch piece = new VectorUnloader(slice).getRecordBatch()) {
                        loader.load(piece);
                    }
                    listener.putNext();
                }
                listener.completed();
            } catch (RuntimeException | Error e) {
                listener.error(e);
                throw e;
            }
            listener.getResult();
        }
    }
}
