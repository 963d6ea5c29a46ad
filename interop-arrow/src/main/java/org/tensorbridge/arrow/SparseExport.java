package org.tensorbridge.arrow;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.Schema;
import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;

/**
 * Sparse tensors to Arrow record batches in the COO layout of {@link SparseBatchSchema}.
 *
 * <h2>What is copied</h2>
 * Nothing, where the sparse value's memory is on the host: the index column's data buffer is the
 * value's {@code int64 [nnz, rank]} index array and the value column's is its value array, lent to the
 * allocator like a dense export ({@link ArrowExport}). Arrow allocates only the validity bitmaps. A
 * sparse tensor on a device is copied to the host once, by its {@code toSparseValue}.
 *
 * <h2>Lifetime</h2>
 * The sparse value is held by the batch: it is closed when Arrow releases the last buffer over either
 * of its arrays (the root and its vectors closed). Until then the allocator counts the memory.
 *
 * <p>Stateless and thread-safe.
 */
public final class SparseExport {
    private SparseExport() {
    }

    /** {@code toRecordBatch(tensor, allocator, CopyPolicy.IF_NEEDED)}. */
    public static VectorSchemaRoot toRecordBatch(SparseTensor tensor, BufferAllocator allocator) {
        return toRecordBatch(tensor, allocator, CopyPolicy.IF_NEEDED);
    }

    /**
     * A record batch of {@code tensor}'s stored elements, over a sparse value taken with
     * {@code tensor.toSparseValue(policy, READ_ONLY)}; the tensor stays the caller's.
     *
     * @throws org.tensorbridge.UnsupportedDTypeException for {@code bfloat16} values
     * @throws org.tensorbridge.CopyRequiredException under {@code NEVER} when the memory is on a device
     */
    public static VectorSchemaRoot toRecordBatch(SparseTensor tensor, BufferAllocator allocator, CopyPolicy policy) {
        Objects.requireNonNull(tensor, "tensor must not be null");
        Objects.requireNonNull(allocator, "allocator must not be null");
        ElementTypes.arrowType(tensor.dtype());
        SparseValue value = tensor.toSparseValue(policy, Access.READ_ONLY);
        try {
            return toRecordBatch(value, allocator);
        } catch (RuntimeException | Error e) {
            value.close();
            throw e;
        }
    }

    /**
     * A record batch over a sparse value's arrays, without a copy. The value is <em>handed over</em>: the
     * batch closes it when Arrow releases the last buffer over its memory, so do not close it yourself
     * before the batch. If this method throws before wrapping (unsupported dtype, malformed indices),
     * the value is left as it was; a later failure closes it.
     *
     * @throws org.tensorbridge.UnsupportedDTypeException for {@code bfloat16} values
     */
    public static VectorSchemaRoot toRecordBatch(SparseValue value, BufferAllocator allocator) {
        Objects.requireNonNull(value, "value must not be null");
        Objects.requireNonNull(allocator, "allocator must not be null");
        Shape denseShape = value.denseShape();
        int rank = denseShape.rank();
        HostArray indices = value.indices();
        HostArray values = value.values();
        long nnz = values.shape().dim(0);
        if (indices.dtype() != DType.INT64) {
            throw new DTypeMismatchException("the sparse value's indices are " + indices.dtype().displayName()
                    + "; COO indices are int64");
        }
        if (!indices.shape().equals(Shape.of(nnz, rank)) || nnz > Integer.MAX_VALUE) {
            throw new ShapeMismatchException("the sparse value's indices have shape " + indices.shape() + " but "
                    + nnz + " values of a rank-" + rank + " tensor need [" + nnz + ", " + rank + "], with at most "
                    + Integer.MAX_VALUE + " rows");
        }
        Schema schema = SparseBatchSchema.schema(values.dtype(), denseShape, value.isCanonical());
        SharedRelease release = new SharedRelease(value, 2);
        ArrowBuf indexData = null;
        ArrowBuf valueData = null;
        List<FieldVector> vectors = new ArrayList<>(2);
        boolean done = false;
        try {
            indexData = HostArrayBuffers.wrap(indices, allocator, release);
            valueData = HostArrayBuffers.wrap(values, allocator, release);
            FixedSizeListVector indexVector = (FixedSizeListVector) schema.findField(SparseBatchSchema.INDICES)
                    .createVector(allocator);
            vectors.add(indexVector);
            HostArrayBuffers.loadFixedWidth(indexVector.getDataVector(), nnz * rank, indexData, allocator.getEmpty());
            HostArrayBuffers.loadRows(indexVector, nnz, allocator.getEmpty());
            FieldVector valueVector = schema.findField(SparseBatchSchema.VALUES).createVector(allocator);
            vectors.add(valueVector);
            HostArrayBuffers.loadFixedWidth(valueVector, nnz, valueData, allocator.getEmpty());
            VectorSchemaRoot root = new VectorSchemaRoot(schema, vectors, (int) nnz);
            done = true;
            return root;
        } finally {
            if (!done) {
                vectors.forEach(FieldVector::close);
            }
            if (indexData != null) {
                indexData.close();
            }
            if (valueData != null) {
                valueData.close();
            }
            if (!done) {
                // Covers a failure before both buffers existed, when the shared release cannot reach zero.
                value.close();
            }
        }
    }
}
