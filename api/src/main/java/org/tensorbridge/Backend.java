package org.tensorbridge;

import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;

/**
 * A backend: it creates tensors on its {@link #device()} ({@link TensorFactory}) and runs eager
 * operations on them. Get one from {@link Backends}.
 *
 * <h2>Operations</h2>
 * Every operation is an {@link Operation} defined once in {@link Operations} (or by whoever defines a
 * new one), with its dtype rule, shape function and, for elementwise operations, the value it
 * computes; {@link #apply} runs any of them. The named methods here, on {@link Tensor} and on
 * {@link SparseTensor} are one-line forwards to {@code apply}. A backend supports exactly the
 * operations it has kernels for ({@link BackendCapabilities#operations()}); any other is refused with
 * {@link OperationUnsupportedException}.
 *
 * <h2>Results</h2>
 * Every operation returns a new tensor that the caller owns and closes; a reshape returns a view that
 * shares the input's memory. Operations never write to their inputs. Binary elementwise operations
 * follow NumPy's broadcasting; both operands must have the same dtype (cast one with {@link #cast});
 * a scalar operand takes the tensor's dtype and must be exactly representable in it.
 *
 * <h2>Errors</h2>
 * A closed operand throws {@link ClosedResourceException}; a tensor of another backend, mismatched
 * shapes or dtypes throw {@link IllegalArgumentException} subtypes ({@link ShapeMismatchException},
 * {@link DTypeMismatchException}); a dtype the backend lacks throws {@link UnsupportedDTypeException};
 * an integer division by zero throws {@link ArithmeticException}. Messages name the argument and the
 * fix.
 *
 * <p>Backends are thread-safe.
 */
public interface Backend extends TensorFactory {
    /** The name it was registered under, for example {@code cpu}. */
    String name();

    /** The device its tensors live on. */
    Device device();

    /** What it can do: sharing, dtypes and operations; the conformance kit checks each. */
    BackendCapabilities capabilities();

    /**
     * Runs {@code operation} on {@code inputs} (tensors of this backend, dense or sparse as the
     * operation's inputs are) with {@code attributes}, for an operation whose result is dense.
     *
     * @throws OperationUnsupportedException if this backend has no kernel for it on these dtypes
     * @throws IllegalArgumentException if the inputs do not fit the operation's definition
     */
    Tensor apply(Operation operation, Attributes attributes, AnyTensor... inputs);

    /** {@link #apply} for an operation whose result is sparse. */
    SparseTensor applySparse(Operation operation, Attributes attributes, AnyTensor... inputs);

    /**
     * A binary elementwise {@code operation} with a scalar second operand of {@code a}'s dtype, for
     * example {@code apply(Operations.ADD, a, 1)}.
     *
     * @throws DTypeMismatchException if {@code a}'s dtype cannot represent {@code scalar} exactly
     */
    default Tensor apply(Operation operation, Tensor a, Number scalar) {
        try (Tensor b = scalarOperand(operation, a.dtype(), scalar)) {
            return apply(operation, Attributes.NONE, a, b);
        }
    }

    private Tensor scalarOperand(Operation operation, DType dtype, Number scalar) {
        try {
            return scalar(dtype, scalar);
        } catch (DTypeMismatchException e) {
            throw new DTypeMismatchException(operation.name() + "(a, scalar): the scalar " + e.getMessage(), e);
        }
    }

    /**
     * The bytes of native memory (off-heap or on the device) this backend holds right now, as its own
     * allocator counts them — freed memory, not released references — or empty if it cannot tell.
     * Closing every tensor, array and graph brings it back to where it was, apart from memory kept for
     * reuse (the conformance kit checks it).
     */
    default java.util.OptionalLong nativeBytesHeld() {
        return java.util.OptionalLong.empty();
    }

    /** A new, empty graph whose sessions run on this backend. The caller closes it. */
    Graph newGraph();

    // ---- dense operations (forwards to apply) ----

    /** {@code a + b}, broadcast. */
    default Tensor add(Tensor a, Tensor b) {
        return apply(Operations.ADD, Attributes.NONE, a, b);
    }

    /** {@code a + scalar}. */
    default Tensor add(Tensor a, Number scalar) {
        return apply(Operations.ADD, a, scalar);
    }

    /** {@code a - b}, broadcast. */
    default Tensor subtract(Tensor a, Tensor b) {
        return apply(Operations.SUBTRACT, Attributes.NONE, a, b);
    }

    /** {@code a - scalar}. */
    default Tensor subtract(Tensor a, Number scalar) {
        return apply(Operations.SUBTRACT, a, scalar);
    }

    /** {@code a * b} elementwise, broadcast. */
    default Tensor multiply(Tensor a, Tensor b) {
        return apply(Operations.MULTIPLY, Attributes.NONE, a, b);
    }

    /** {@code a * scalar}. */
    default Tensor multiply(Tensor a, Number scalar) {
        return apply(Operations.MULTIPLY, a, scalar);
    }

    /** {@code a / b} elementwise, broadcast; see {@link Operations#DIVIDE}. */
    default Tensor divide(Tensor a, Tensor b) {
        return apply(Operations.DIVIDE, Attributes.NONE, a, b);
    }

    /** {@code a / scalar}. */
    default Tensor divide(Tensor a, Number scalar) {
        return apply(Operations.DIVIDE, a, scalar);
    }

    /**
     * The matrix product of rank-2 tensors {@code [m, k] x [k, n] -> [m, n]}.
     *
     * @throws ShapeMismatchException if either is not rank 2 or the inner dimensions differ
     */
    default Tensor matmul(Tensor a, Tensor b) {
        return apply(Operations.MATMUL, Attributes.NONE, a, b);
    }

    /**
     * A view of {@code a} with new dimensions and the same elements in row-major order; it shares
     * {@code a}'s memory and keeps it alive. One dimension may be {@code -1}, inferred from the others.
     *
     * @throws ShapeMismatchException if the element counts differ
     */
    default Tensor reshape(Tensor a, long... dims) {
        return apply(Operations.RESHAPE, Attributes.of(Attribute.DIMS, dims), a);
    }

    /** {@code a}'s elements converted to {@code dtype}; see {@link Operations#CAST}. Always a new tensor. */
    default Tensor cast(Tensor a, DType dtype) {
        return apply(Operations.CAST, Attributes.of(Attribute.DTYPE, dtype), a);
    }

    // ---- sparse operations (forwards to apply) ----

    /** A sparse tensor of the non-zero elements of {@code dense}, in canonical order. */
    default SparseTensor toSparse(Tensor dense) {
        return applySparse(Operations.TO_SPARSE, Attributes.NONE, dense);
    }

    /**
     * The dense form of {@code a}, duplicates summed, if it has at most {@code maxElements} elements.
     *
     * @throws DenseSizeLimitException if the dense shape has more elements than {@code maxElements}
     */
    default Tensor toDense(SparseTensor a, long maxElements) {
        return apply(Operations.TO_DENSE, Attributes.of(Attribute.MAX_ELEMENTS, maxElements), a);
    }

    /** {@code a} sorted in row-major order with duplicates summed: canonical. */
    default SparseTensor coalesce(SparseTensor a) {
        return applySparse(Operations.COALESCE, Attributes.NONE, a);
    }

    /**
     * Sparse {@code [m, k]} times dense {@code [k, n]}: a dense {@code [m, n]} result, computed in time
     * linear in {@code nnz x n}.
     */
    default Tensor matmul(SparseTensor a, Tensor b) {
        return apply(Operations.SPARSE_MATMUL, Attributes.NONE, a, b);
    }

    /** {@code a + b} for sparse tensors of one dense shape: a canonical sparse result. */
    default SparseTensor add(SparseTensor a, SparseTensor b) {
        return applySparse(Operations.SPARSE_ADD, Attributes.NONE, a, b);
    }

    /** {@code a * scalar}: same indices (shared), scaled values. */
    default SparseTensor multiply(SparseTensor a, Number scalar) {
        try (Tensor b = scalarOperand(Operations.SPARSE_MULTIPLY, a.dtype(), scalar)) {
            return applySparse(Operations.SPARSE_MULTIPLY, Attributes.NONE, a, b);
        }
    }

    /** The transpose of a rank-2 sparse tensor, sorted in row-major order. */
    default SparseTensor transpose(SparseTensor a) {
        return applySparse(Operations.SPARSE_TRANSPOSE, Attributes.NONE, a);
    }

    /** The sum along {@code axis}: a dense tensor of the dense shape without that axis. */
    default Tensor sum(SparseTensor a, int axis) {
        return apply(Operations.SPARSE_SUM, Attributes.of(Attribute.AXIS, axis), a);
    }
}
