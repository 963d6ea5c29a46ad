package org.tensorbridge.flight;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/**
 * Record batches of one schema joined into one root with Arrow's {@link VectorSchemaRootAppender}: a copy of
 * every buffer, into vectors sized once for all the rows. Used where a tensor must be one buffer and arrived
 * in several batches. Stateless and thread-safe.
 */
final class BatchJoin {
    private BatchJoin() {
    }

    /** A new root of {@code schema} holding every row of {@code batches}, in order; the caller closes it. */
    static VectorSchemaRoot join(Schema schema, List<ArrowRecordBatch> batches, BufferAllocator allocator) {
        int rows = batches.stream().mapToInt(ArrowRecordBatch::getLength).sum();
        VectorSchemaRoot target = VectorSchemaRoot.create(schema, allocator);
        try (VectorSchemaRoot delta = VectorSchemaRoot.create(schema, allocator)) {
            for (FieldVector vector : target.getFieldVectors()) {
                vector.setInitialCapacity(rows);
                vector.allocateNew();
            }
            VectorLoader loader = new VectorLoader(delta);
            for (ArrowRecordBatch batch : batches) {
                loader.load(batch);
                VectorSchemaRootAppender.append(false, target, delta);
            }
            return target;
        } catch (RuntimeException | Error e) {
            target.close();
            throw e;
        }
    }
}
