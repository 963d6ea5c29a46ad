package org.tensorbridge.flight;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;
import org.tensorbridge.arrow.ArrowExport;
import org.tensorbridge.arrow.ExportOptions;
import org.tensorbridge.arrow.ExportedTensor;
import org.tensorbridge.arrow.SparseBatchSchema;
import org.tensorbridge.arrow.SparseExport;

/**
 * Tensors and tables of this process made into {@link Published} entries without a copy: a dense tensor
 * through {@link ArrowExport} (its host memory lent to Arrow), a sparse tensor through
 * {@link SparseExport}, a table by taking references to its buffers (or a copy, across root allocators).
 * Stateless and thread-safe.
 */
final class Publications {
    private Publications() {
    }

    /** {@code tensor} as one batch of an {@code arrow.fixed_shape_tensor} column named {@code name}. */
    static Published dense(String name, Tensor tensor, List<String> dimNames, BufferAllocator allocator) {
        if (dimNames != null && dimNames.size() != tensor.shape().rank()) {
            throw new ShapeMismatchException("dimNames has " + dimNames.size() + " names but the tensor has shape "
                    + tensor.shape() + "; give one name per dimension (\"\" for an unnamed one)");
        }
        ExportOptions options = ExportOptions.defaults();
        List<String> rowNames = Descriptions.rowNames(dimNames);
        if (rowNames != null && rowNames.stream().anyMatch(n -> !n.isEmpty())) {
            options = options.withDimNames(rowNames);
        }
        try (ExportedTensor column = ArrowExport.export(tensor, name, allocator, options);
                VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(column.vector()))) {
            FlightTensorInfo info = Descriptions.dense(name, root.getSchema(), tensor.dtype(), tensor.shape().dim(0),
                    dimNames == null ? "" : dimNames.get(0));
            return new Published(info, List.of(new VectorUnloader(root).getRecordBatch()));
        }
    }

    /** {@code tensor} as one batch of interop-arrow's COO layout. */
    static Published sparse(String name, SparseTensor tensor, BufferAllocator allocator) {
        try (VectorSchemaRoot root = SparseExport.toRecordBatch(tensor, allocator)) {
            Shape denseShape = SparseBatchSchema.denseShape(root.getSchema());
            FlightTensorInfo info = Descriptions.sparse(name, root.getSchema(), tensor.dtype(), denseShape,
                    root.getRowCount());
            return new Published(info, List.of(new VectorUnloader(root).getRecordBatch()));
        }
    }

    /**
     * The rows of {@code table}; the caller keeps (and closes) the root. The entry shares the table's buffers
     * when they belong to {@code allocator}'s root allocator (Arrow moves buffers only within one root), and
     * holds a copy in {@code allocator} otherwise.
     */
    static Published table(String name, VectorSchemaRoot table, BufferAllocator allocator) {
        boolean sameRoot = table.getFieldVectors().stream()
                .allMatch(vector -> vector.getAllocator().getRoot() == allocator.getRoot());
        ArrowRecordBatch batch;
        if (sameRoot) {
            batch = new VectorUnloader(table).getRecordBatch();
        } else {
            try (VectorSchemaRoot copy = VectorSchemaRoot.create(table.getSchema(), allocator)) {
                copy.getFieldVectors().forEach(vector -> {
                    vector.setInitialCapacity(table.getRowCount());
                    vector.allocateNew();
                });
                VectorSchemaRootAppender.append(false, copy, table);
                batch = new VectorUnloader(copy).getRecordBatch();
            }
        }
        FlightTensorInfo info = Descriptions.table(name, table.getSchema(), table.getRowCount(),
                batch.computeBodyLength());
        return new Published(info, List.of(batch));
    }
}
