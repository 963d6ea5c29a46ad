package org.tensorbridge.arrow;

import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;

/**
 * Arrow record batches in the COO layout of {@link SparseBatchSchema} to sparse tensors and values.
 *
 * <h2>What is copied</h2>
 * The index and value columns become tensors as dense columns do ({@link ArrowImport}): on a backend
 * that wraps host buffers (the CPU backend) both alias the Arrow memory under {@code NEVER} and
 * {@code IF_NEEDED}, and the sparse tensor holds references to them, so nothing is copied; the backend
 * reads the indices once to validate them. Other backends copy; {@code ALWAYS} copies.
 *
 * <h2>Lifetime</h2>
 * The tensors hold their own references to the Arrow buffers, so the result stays valid after the root
 * is closed; the allocator counts the memory until the result is closed.
 *
 * <p>Stateless and thread-safe; do not modify the root while it is being converted.
 */
public final class SparseImport {
    private SparseImport() {
    }

    /**
     * A sparse tensor of the batch's stored elements and dense shape.
     *
     * @throws ArrowLayoutException if the schema lacks the columns or metadata of the layout, or
     *     claims canonical indices that are not
     * @throws NullElementsException if a column has nulls
     * @throws IndexOutOfBoundsException if an index lies outside the dense shape
     */
    public static SparseTensor toSparseTensor(VectorSchemaRoot batch, Backend backend, CopyPolicy policy) {
        Objects.requireNonNull(batch, "batch must not be null");
        Objects.requireNonNull(backend, "backend must not be null");
        Shape denseShape = SparseBatchSchema.denseShape(batch.getSchema());
        boolean canonical = SparseBatchSchema.canonical(batch.getSchema());
        FixedSizeListVector indexColumn = indexColumn(batch, denseShape);
        FieldVector valueColumn = column(batch, SparseBatchSchema.VALUES);
        try (Tensor indices = ArrowImport.toTensor(indexColumn, Shape.of(denseShape.rank()), backend, policy);
                Tensor values = ArrowImport.toTensor(valueColumn, backend, policy)) {
            SparseTensor sparse = backend.sparseCoo(indices, values, denseShape);
            if (canonical && !sparse.isCanonical()) {
                sparse.close();
                throw new ArrowLayoutException("the batch's metadata says " + SparseBatchSchema.CANONICAL_KEY
                        + "=true but its indices are not row-major sorted without duplicates; write it with "
                        + "canonical=false, or coalesce the tensor before exporting it");
            }
            return sparse;
        }
    }

    /**
     * The batch as a sparse value: {@code toSparseTensor(...).toSparseValue(policy, access)}, the tensor
     * closed. On the CPU backend under {@code NEVER} and {@code IF_NEEDED} its arrays alias the Arrow
     * memory; under {@code ALWAYS} they are copies.
     */
    public static SparseValue toSparseValue(VectorSchemaRoot batch, Backend backend, CopyPolicy policy, Access access) {
        Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
        CopyPolicy tensorPolicy = policy == CopyPolicy.ALWAYS ? CopyPolicy.IF_NEEDED : policy;
        try (SparseTensor tensor = toSparseTensor(batch, backend, tensorPolicy)) {
            return tensor.toSparseValue(policy, access);
        }
    }

    private static FixedSizeListVector indexColumn(VectorSchemaRoot batch, Shape denseShape) {
        FieldVector column = column(batch, SparseBatchSchema.INDICES);
        if (!(column instanceof FixedSizeListVector list) || list.getListSize() != denseShape.rank()) {
            throw new ShapeMismatchException("column " + SparseBatchSchema.INDICES + " is " + column.getField()
                    + " but a rank-" + denseShape.rank() + " dense shape " + denseShape + " needs FixedSizeList<int64>["
                    + denseShape.rank() + "]");
        }
        return list;
    }

    private static FieldVector column(VectorSchemaRoot batch, String name) {
        FieldVector column = batch.getVector(name);
        if (column == null) {
            throw new ArrowLayoutException("the batch has no column " + name + "; its schema is "
                    + batch.getSchema() + ". A sparse batch has the columns " + SparseBatchSchema.INDICES + " and "
                    + SparseBatchSchema.VALUES);
        }
        return column;
    }
}
