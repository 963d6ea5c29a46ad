package org.tensorbridge.spi;

/**
 * A kernel whose result is sparse: it returns new index and value memory (allocated with
 * {@link KernelCall#allocate}, or by the engine), the count and whether the result is canonical.
 *
 * <p>Kernels run with every input pinned; they must be thread-safe.
 */
@FunctionalInterface
public interface SparseKernel {
    /** The sparse result of {@code call}. */
    SparseParts compute(KernelCall call);
}
