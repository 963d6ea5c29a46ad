package org.tensorbridge.spi;

import java.util.Objects;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;
import org.tensorbridge.memory.Storage;

/**
 * Sparse tensors from their parts, for every backend built on the spi: checks shapes and dtypes,
 * validates every index through the backend's {@link IndexChecks} (whose structured answers are worded
 * here, the same for every backend), and shares the parts' memory instead of copying it. CSR parts are
 * expanded to COO indices by the checks. Thread-safe.
 */
final class SparseCreation {
    private final AbstractBackend backend;
    private final BackendSpec spec;

    SparseCreation(AbstractBackend backend, BackendSpec spec) {
        this.backend = backend;
        this.spec = spec;
    }

    SparseTensor coo(Tensor indices, Tensor values, Shape denseShape) {
        Objects.requireNonNull(denseShape, "denseShape must not be null");
        BackendTensor index = backend.own(indices, "indices");
        BackendTensor value = backend.own(values, "values");
        requireIndexTensor(index, "indices");
        backend.requireSupported(value.dtype(), "values");
        if (index.shape().rank() != 2 || index.shape().dim(1) != denseShape.rank()) {
            throw new ShapeMismatchException("indices is " + index.shape() + " but a dense shape of rank "
                    + denseShape.rank() + " needs indices of shape [nnz, " + denseShape.rank() + "]");
        }
        long nnz = index.shape().dim(0);
        if (!value.shape().equals(Shape.of(nnz))) {
            throw new ShapeMismatchException("values is " + value.shape() + " but indices " + index.shape()
                    + " hold " + nnz + " elements; values must be [" + nnz + "]");
        }
        try (Pins pins = new Pins()) {
            Operand indexOperand = pins.dense(index, "indices");
            Operand valueOperand = pins.dense(value, "values");
            IndexChecks.InvalidIndex invalid = spec.indexChecks.firstInvalidIndex(indexOperand, denseShape);
            if (invalid != null) {
                throw IndexMessages.invalidIndex(invalid, denseShape);
            }
            boolean canonical = spec.indexChecks.isCanonical(indexOperand, denseShape);
            // The pins' references become the sparse tensor's own: the memory is shared, not copied.
            return new BackendSparseTensor(backend, pins.keep(indexOperand.storage()), pins.keep(valueOperand.storage()),
                    value.dtype(), denseShape, nnz, canonical);
        }
    }

    SparseTensor csr(Tensor indptr, Tensor columns, Tensor values, Shape denseShape) {
        Objects.requireNonNull(denseShape, "denseShape must not be null");
        if (denseShape.rank() != 2) {
            throw new ShapeMismatchException("denseShape is " + denseShape + "; CSR describes matrices, so it must be "
                    + "[rows, columns]");
        }
        BackendTensor pointers = backend.own(indptr, "indptr");
        BackendTensor cols = backend.own(columns, "columns");
        BackendTensor vals = backend.own(values, "values");
        requireIndexTensor(pointers, "indptr");
        requireIndexTensor(cols, "columns");
        long rows = denseShape.dim(0);
        if (!pointers.shape().equals(Shape.of(rows + 1))) {
            throw new ShapeMismatchException("indptr is " + pointers.shape() + " but " + rows + " rows need ["
                    + (rows + 1) + "]");
        }
        if (cols.shape().rank() != 1 || !vals.shape().equals(cols.shape())) {
            throw new ShapeMismatchException("columns is " + cols.shape() + " and values is " + vals.shape()
                    + "; both must be [nnz]");
        }
        Shape cooShape = Shape.of(cols.shape().dim(0), 2);
        backend.byteSize(DType.INT64, cooShape, "CSR's COO indices");
        Tensor expanded;
        try (Pins pins = new Pins()) {
            Operand p = pins.dense(pointers, "indptr");
            Operand c = pins.dense(cols, "columns");
            // Checked even when nnz is 0: indptr must still be right.
            Storage memory = spec.memory.allocate(DType.INT64, cooShape);
            try {
                IndexChecks.CsrProblem problem = spec.indexChecks.csrToCoo(p, c, denseShape.dim(1),
                        new Operand(memory, DType.INT64, cooShape));
                if (problem != null) {
                    throw IndexMessages.csr(problem);
                }
            } catch (RuntimeException | Error e) {
                memory.release();
                throw e;
            }
            expanded = new BackendTensor(backend, memory, DType.INT64, cooShape);
        }
        try (Tensor cooIndices = expanded) {
            return coo(cooIndices, vals, denseShape);
        }
    }

    private static void requireIndexTensor(BackendTensor tensor, String argument) {
        if (tensor.dtype() != DType.INT64) {
            throw new DTypeMismatchException(argument + " is " + tensor.dtype().displayName() + " but sparse indices are "
                    + "int64; pass " + argument + ".cast(DType.INT64)");
        }
    }
}
