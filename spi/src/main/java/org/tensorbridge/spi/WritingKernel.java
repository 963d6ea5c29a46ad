package org.tensorbridge.spi;

/**
 * A kernel that writes its result into memory the base allocated from the backend's {@link Memory}
 * (registered as {@code overwrite} when it writes every element, {@code write} otherwise).
 *
 * <p>Kernels run with every input pinned, and only when neither the result nor any dense input is
 * empty; they must be thread-safe.
 */
@FunctionalInterface
public interface WritingKernel {
    /** Computes {@code call}'s result into {@code result}. */
    void write(KernelCall call, Operand result);
}
