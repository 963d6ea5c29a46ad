package org.tensorbridge.spi;

import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.DenseSizeLimitException;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;

/**
 * The sparse half of {@link AbstractBackend}: validation, reference handling and result
 * construction for every sparse operation, around the backend's sparse hooks. One per backend;
 * thread-safe.
 */
final class SparseSupport {
    private final AbstractBackend backend;

    SparseSupport(AbstractBackend backend) {
        this.backend = backend;
    }

    // ---- creation ----

    SparseTensor coo(Tensor indices, Tensor values, Shape denseShape) {
        java.util.Objects.requireNonNull(denseShape, "denseShape must not be null");
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
        Operand indexOperand = index.pin("indices");
        Operand valueOperand;
        try {
            valueOperand = value.pin("values");
        } catch (RuntimeException e) {
            indexOperand.storage().release();
            throw e;
        }
        try {
            boolean canonical = checkIndices(indexOperand, denseShape);
            // The pins' references become the sparse tensor's own: the memory is shared, not copied.
            return new BackendSparseTensor(backend, indexOperand.storage(), valueOperand.storage(), value.dtype(),
                    denseShape, nnz, canonical);
        } catch (RuntimeException e) {
            indexOperand.storage().release();
            valueOperand.storage().release();
            throw e;
        }
    }

    /** Validates every index against the shape; returns whether they are canonical. */
    private boolean checkIndices(Operand indices, Shape denseShape) {
        String invalid = backend.firstInvalidIndex(indices, denseShape);
        if (invalid != null) {
            throw new IndexOutOfBoundsException(invalid);
        }
        return backend.isCanonical(indices, denseShape);
    }

    SparseTensor csr(Tensor indptr, Tensor columns, Tensor values, Shape denseShape) {
        java.util.Objects.requireNonNull(denseShape, "denseShape must not be null");
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
        long nnz = cols.shape().dim(0);
        Shape cooShape = Shape.of(nnz, 2);
        long bytes = backend.byteSize(DType.INT64, cooShape, "CSR's COO indices");
        BackendTensor expanded;
        Operand p = pointers.pin("indptr");
        try {
            Operand c = cols.pin("columns");
            try {
                // Not AbstractBackend.compute: that skips the kernel when nnz is 0, and indptr must be checked then too.
                Storage memory = backend.allocate(bytes);
                try {
                    backend.csrToCoo(p, c, denseShape.dim(1), new Operand(memory, DType.INT64, cooShape));
                } catch (RuntimeException | Error e) {
                    memory.release();
                    throw e;
                }
                expanded = new BackendTensor(backend, memory, DType.INT64, cooShape);
            } finally {
                c.storage().release();
            }
        } finally {
            p.storage().release();
        }
        try (Tensor indices = expanded) {
            return coo(indices, vals, denseShape);
        }
    }

    private static void requireIndexTensor(BackendTensor tensor, String argument) {
        if (tensor.dtype() != DType.INT64) {
            throw new DTypeMismatchException(argument + " is " + tensor.dtype().displayName() + " but sparse indices are "
                    + "int64; pass " + argument + ".cast(DType.INT64)");
        }
    }

    SparseTensor fromDense(Tensor dense) {
        BackendTensor x = backend.own(dense, "dense");
        Operand operand = x.pin("dense");
        try {
            return wrap(backend.toSparse(operand), x.dtype(), x.shape());
        } finally {
            operand.storage().release();
        }
    }

    // ---- conversion ----

    SparseValue toSparseValue(BackendSparseTensor tensor, CopyPolicy policy, Access access) {
        java.util.Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
        java.util.Objects.requireNonNull(access, "access must not be null; use Access.READ_ONLY for the default");
        SparseOperand operand = tensor.pin("this sparse tensor");
        try {
            BufferHostArray indices = backend.hostArray(operand.indices(), policy, access);
            BufferHostArray values;
            try {
                values = backend.hostArray(operand.values(), policy, access);
            } catch (RuntimeException e) {
                indices.close();
                throw e;
            }
            return new HostSparseValue(indices, indices.storage(), values, values.storage(), operand.denseShape(),
                    operand.canonical(), backend.device(), backend.ledger());
        } finally {
            BackendSparseTensor.unpin(operand);
        }
    }

    Tensor toDense(SparseTensor a, long maxElements) {
        BackendSparseTensor x = own(a, "a");
        if (maxElements < 0) {
            throw new IllegalArgumentException("maxElements is " + maxElements + "; give the largest dense element "
                    + "count you accept, 0 or more");
        }
        long elements = x.denseShape().elementCount();
        if (elements > maxElements) {
            int width = x.dtype().byteWidth();
            String bytes = elements > Long.MAX_VALUE / width ? "more than 2^63" : Long.toString(elements * width);
            throw new DenseSizeLimitException("toDense: the dense shape " + x.denseShape() + " has " + elements
                    + " elements (" + bytes + " bytes of " + x.dtype().displayName() + ") but maxElements is "
                    + maxElements + "; raise maxElements if that fits in memory, or keep working on the sparse tensor");
        }
        SparseOperand operand = x.pin("a");
        try {
            return backend.compute(x.dtype(), x.denseShape(), result -> backend.toDense(operand, result));
        } finally {
            BackendSparseTensor.unpin(operand);
        }
    }

    // ---- operations ----

    SparseTensor coalesce(SparseTensor a) {
        BackendSparseTensor x = own(a, "a");
        SparseOperand operand = x.pin("a");
        try {
            return wrap(backend.coalesce(operand), x.dtype(), x.denseShape());
        } finally {
            BackendSparseTensor.unpin(operand);
        }
    }

    Tensor matmul(SparseTensor a, Tensor b) {
        BackendSparseTensor x = own(a, "a");
        BackendTensor y = backend.own(b, "b");
        requireNumeric("matmul", x.dtype());
        if (x.dtype() != y.dtype()) {
            throw new DTypeMismatchException("matmul(a, b): a is " + x.dtype().displayName() + " but b is "
                    + y.dtype().displayName() + "; cast b, for example b.cast(DType." + x.dtype().name() + ")");
        }
        if (x.denseShape().rank() != 2 || y.shape().rank() != 2 || x.denseShape().dim(1) != y.shape().dim(0)) {
            throw new ShapeMismatchException("matmul(a, b): sparse a is " + x.denseShape() + " and dense b is "
                    + y.shape() + "; they must be [m, k] and [k, n]");
        }
        Shape shape = Shape.of(x.denseShape().dim(0), y.shape().dim(1));
        SparseOperand left = x.pin("a");
        try {
            Operand right = y.pin("b");
            try {
                return backend.compute(x.dtype(), shape, result -> backend.matmul(left, right, result));
            } finally {
                right.storage().release();
            }
        } finally {
            BackendSparseTensor.unpin(left);
        }
    }

    SparseTensor add(SparseTensor a, SparseTensor b) {
        BackendSparseTensor x = own(a, "a");
        BackendSparseTensor y = own(b, "b");
        requireNumeric("add", x.dtype());
        if (x.dtype() != y.dtype()) {
            throw new DTypeMismatchException("add(a, b): a is " + x.dtype().displayName() + " but b is "
                    + y.dtype().displayName() + "; make both the same dtype");
        }
        if (!x.denseShape().equals(y.denseShape())) {
            throw new ShapeMismatchException("add(a, b): sparse a is " + x.denseShape() + " but b is " + y.denseShape()
                    + "; sparse addition needs equal dense shapes");
        }
        SparseOperand left = x.pin("a");
        try {
            SparseOperand right = y.pin("b");
            try {
                return wrap(backend.add(left, right), x.dtype(), x.denseShape());
            } finally {
                BackendSparseTensor.unpin(right);
            }
        } finally {
            BackendSparseTensor.unpin(left);
        }
    }

    SparseTensor multiply(SparseTensor a, Number scalar) {
        BackendSparseTensor x = own(a, "a");
        requireNumeric("multiply", x.dtype());
        ScalarCodec.encode(scalar, x.dtype(), "scalar");
        SparseOperand operand = x.pin("a");
        try (Tensor factor = backend.fill(x.dtype(), Shape.scalar(), scalar)) {
            Operand f = ((BackendTensor) factor).pin("scalar");
            try {
                BackendTensor scaled = (BackendTensor) backend.compute(x.dtype(), operand.values().shape(),
                        result -> backend.elementwise(BinaryOp.MULTIPLY, operand.values(), f, result));
                Operand values = scaled.pin("scaled values");
                scaled.close();
                // Same indices, shared: the result holds its own reference to them.
                operand.indices().storage().retain();
                return new BackendSparseTensor(backend, operand.indices().storage(), values.storage(), x.dtype(),
                        x.denseShape(), x.nnz(), x.isCanonical());
            } finally {
                f.storage().release();
            }
        } finally {
            BackendSparseTensor.unpin(operand);
        }
    }

    SparseTensor transpose(SparseTensor a) {
        BackendSparseTensor x = own(a, "a");
        if (x.denseShape().rank() != 2) {
            throw new ShapeMismatchException("transpose(a): a is " + x.denseShape() + "; transpose is defined for "
                    + "rank-2 sparse tensors");
        }
        SparseOperand operand = x.pin("a");
        try {
            return wrap(backend.transpose(operand), x.dtype(),
                    Shape.of(x.denseShape().dim(1), x.denseShape().dim(0)));
        } finally {
            BackendSparseTensor.unpin(operand);
        }
    }

    Tensor sum(SparseTensor a, int axis) {
        BackendSparseTensor x = own(a, "a");
        requireNumeric("sum", x.dtype());
        int rank = x.denseShape().rank();
        if (axis < 0 || axis >= rank) {
            throw new IllegalArgumentException("axis is " + axis + " but a is " + x.denseShape() + " (rank " + rank
                    + "); use 0 to " + (rank - 1));
        }
        long[] dims = new long[rank - 1];
        for (int d = 0, r = 0; d < rank; d++) {
            if (d != axis) {
                dims[r++] = x.denseShape().dim(d);
            }
        }
        SparseOperand operand = x.pin("a");
        try {
            return backend.compute(x.dtype(), Shape.of(dims), result -> backend.sum(operand, axis, result));
        } finally {
            BackendSparseTensor.unpin(operand);
        }
    }

    // ---- shared rules ----

    private SparseTensor wrap(SparseParts parts, DType dtype, Shape denseShape) {
        return new BackendSparseTensor(backend, parts.indices(), parts.values(), dtype, denseShape, parts.nnz(),
                parts.canonical());
    }

    private BackendSparseTensor own(SparseTensor tensor, String argument) {
        if (tensor == null) {
            throw new NullPointerException(argument + " must not be null");
        }
        if (tensor instanceof BackendSparseTensor mine && mine.owner() == backend) {
            return mine;
        }
        throw new IllegalArgumentException(argument + " is a sparse tensor of backend '" + tensor.backend().name()
                + "' but this operation runs on backend '" + backend.name() + "'; move it through toSparseValue()");
    }

    private static void requireNumeric(String operation, DType dtype) {
        if (!dtype.isNumeric()) {
            throw new DTypeMismatchException(operation + "(a, ...): a is bool, on which arithmetic is not defined; "
                    + "make it from int32 or float32 values instead");
        }
    }
}
