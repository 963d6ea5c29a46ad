package org.tensorbridge;

/**
 * A sparse tensor: {@link #nnz()} stored elements, each an index into a dense shape and a value;
 * every other element is zero. Created by a {@link Backend} from COO (any rank) or CSR (rank 2)
 * parts, or from a dense tensor by dropping zeros.
 *
 * <h2>No silent densification</h2>
 * A sparse tensor has no dense {@code toHost}: its host form is a {@link SparseValue} (COO indices
 * and values, and a CSR view for rank 2). The only way to a dense array is
 * {@link #toDense(long)}, which refuses past the element limit the caller gives.
 *
 * <h2>Canonical order</h2>
 * {@link #isCanonical()} is true when the indices are sorted in row-major order with no duplicates
 * (TensorFlow's order, Arrow's {@code isCanonical}). {@link #coalesce()} makes a canonical tensor,
 * summing duplicates. Results of {@code add}, {@code transpose} and {@code toSparse} are sorted.
 *
 * <h2>Sharing and lifetime</h2>
 * {@link #toSparseValue(CopyPolicy, Access)} follows the dense contract for its index and value
 * arrays. A sparse tensor made from index and value tensors of the same backend holds references to
 * their memory instead of copying it. Closing releases this tensor's references; arrays taken from it
 * stay valid until they are closed. Use after close throws {@link ClosedResourceException}.
 *
 * <p>Thread-safe in the same way as {@link Tensor}.
 */
public non-sealed interface SparseTensor extends AnyTensor {
    /** The shape of the dense tensor this one stands for. */
    Shape denseShape();

    /** Number of stored elements, duplicates and explicit zeros included. */
    long nnz();

    /** True if indices are row-major sorted without duplicates. */
    boolean isCanonical();

    /** {@code toSparseValue(CopyPolicy.IF_NEEDED, Access.READ_ONLY)}. */
    default SparseValue toSparseValue() {
        return toSparseValue(CopyPolicy.IF_NEEDED, Access.READ_ONLY);
    }

    /** {@code toSparseValue(policy, Access.READ_ONLY)}. */
    default SparseValue toSparseValue(CopyPolicy policy) {
        return toSparseValue(policy, Access.READ_ONLY);
    }

    /**
     * The host form: COO indices and values, shared or copied as {@code policy} says. The caller
     * closes it.
     *
     * @throws CopyRequiredException under {@code NEVER} when the backend cannot share
     */
    SparseValue toSparseValue(CopyPolicy policy, Access access);

    /** {@code backend().toDense(this, maxElements)}. */
    default Tensor toDense(long maxElements) {
        return backend().toDense(this, maxElements);
    }

    /** {@code backend().coalesce(this)}. */
    default SparseTensor coalesce() {
        return backend().coalesce(this);
    }

    /** {@code backend().matmul(this, dense)}: a dense result. */
    default Tensor matmul(Tensor dense) {
        return backend().matmul(this, dense);
    }

    /** {@code backend().add(this, other)}. */
    default SparseTensor add(SparseTensor other) {
        return backend().add(this, other);
    }

    /** {@code backend().multiply(this, scalar)}. */
    default SparseTensor multiply(Number scalar) {
        return backend().multiply(this, scalar);
    }

    /** {@code backend().transpose(this)}. */
    default SparseTensor transpose() {
        return backend().transpose(this);
    }

    /** {@code backend().sum(this, axis)}: a dense result. */
    default Tensor sum(int axis) {
        return backend().sum(this, axis);
    }
}
