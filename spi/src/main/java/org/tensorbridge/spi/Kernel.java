package org.tensorbridge.spi;

import org.tensorbridge.memory.Storage;

/**
 * A kernel that returns its result's memory, allocated however the engine likes (TensorFlow allocates
 * its own outputs): the base adopts it as the result tensor's memory, without a copy. The storage
 * must hold at least the result's bytes and carry one reference, which the result takes over.
 *
 * <p>Kernels run with every input pinned, and only when neither the result nor any dense input is
 * empty; they must be thread-safe.
 */
@FunctionalInterface
public interface Kernel {
    /** The result of {@code call}, in memory the caller takes over. */
    Storage compute(KernelCall call);
}
