package org.tensorbridge;

/**
 * A concrete tensor, dense ({@link Tensor}) or sparse ({@link SparseTensor}): what
 * {@link Backend#apply} takes as inputs. Its symbolic counterpart in a graph is {@link Node}.
 */
public sealed interface AnyTensor extends AutoCloseable permits Tensor, SparseTensor {
    /** Element type (of the values, for a sparse tensor). */
    DType dtype();

    /** Where the tensor's memory lives. */
    Device device();

    /** The backend that made it and runs its operations. */
    Backend backend();

    /** True once {@link #close()} has run. */
    boolean isClosed();

    /** Releases the tensor's memory references. Idempotent; never throws. */
    @Override
    void close();
}
