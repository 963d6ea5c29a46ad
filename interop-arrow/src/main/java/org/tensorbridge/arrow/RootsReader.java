package org.tensorbridge.arrow;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An {@link ArrowReader} over record batches already in memory, for {@code Data.exportArrayStream}:
 * each call of {@link #loadNextBatch()} moves the next root's buffers into the reader's root by
 * reference ({@link VectorUnloader} then {@link VectorLoader}: no copy). It owns the roots: each is
 * closed once its buffers have moved, and the rest when the reader is closed. Not thread-safe, as
 * Arrow's readers are not.
 */
final class RootsReader extends ArrowReader {
    private final Schema schema;
    private final List<VectorSchemaRoot> batches;
    private int next;

    /** The batches must share one schema and be non-empty; they are the reader's from now on. */
    RootsReader(BufferAllocator allocator, List<VectorSchemaRoot> batches) {
        super(allocator);
        this.batches = new ArrayList<>(batches);
        this.schema = batches.get(0).getSchema();
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
        prepareLoadNextBatch();
        if (next == batches.size()) {
            return false;
        }
        try (VectorSchemaRoot batch = batches.get(next);
                ArrowRecordBatch buffers = new VectorUnloader(batch).getRecordBatch()) {
            batches.set(next++, null);
            new VectorLoader(getVectorSchemaRoot()).load(buffers);
        }
        return true;
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    protected void closeReadSource() {
        for (int i = next; i < batches.size(); i++) {
            batches.get(i).close();
        }
        next = batches.size();
    }

    @Override
    protected Schema readSchema() {
        return schema;
    }
}
