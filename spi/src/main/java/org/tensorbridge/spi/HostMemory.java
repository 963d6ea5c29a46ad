package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.memory.Storage;

/**
 * {@link Memory} in host blocks ({@link HostStorage}): what a backend whose tensors live in host memory
 * uses (the reference and CPU backends), and where the host fallback runs. Results that their kernel
 * overwrites may come from the pool of reusable blocks. Thread-safe.
 */
public final class HostMemory implements Memory {
    private final MemoryLedger ledger;
    private final boolean pooledResults;

    /**
     * @param ledger counts the blocks
     * @param pooledResults whether results that kernels overwrite come from the pool of reusable blocks
     *     (no zeroing; a block returns to the pool when freed unless a buffer over it was handed out) —
     *     only for kernels that reach memory through transient buffers while the operands are pinned
     */
    public HostMemory(MemoryLedger ledger, boolean pooledResults) {
        this.ledger = ledger;
        this.pooledResults = pooledResults;
    }

    @Override
    public Storage allocate(DType dtype, Shape shape) {
        return HostStorage.allocate(shape.elementCount() * dtype.byteWidth(), ledger);
    }

    @Override
    public Storage allocateForOverwrite(DType dtype, Shape shape) {
        long bytes = shape.elementCount() * dtype.byteWidth();
        return pooledResults ? HostStorage.allocateForCopy(bytes, ledger) : HostStorage.allocate(bytes, ledger);
    }

    @Override
    public void upload(ByteBuffer source, Storage target) {
        ((HostStorage) target).transientBuffer().put(source.duplicate());
    }

    @Override
    public void download(Storage source, ByteBuffer target) {
        target.put(((HostStorage) source).transientBuffer().limit(target.remaining()));
    }

    /**
     * The bytes of the backend's host blocks not yet freed: host memory is freed (returned to the JDK or
     * to the pool of reusable blocks) when its last reference is released, so the ledger's count is the
     * count of frees.
     */
    @Override
    public OptionalLong heldBytes() {
        return OptionalLong.of(ledger.liveBytes());
    }

    /** Doubling bulk copies: one element, then 2, 4, ... bytes copied from the front. */
    @Override
    public void fill(Operand target, ByteBuffer element) {
        ByteBuffer memory = ((HostStorage) target.storage()).transientBuffer();
        int total = (int) target.byteSize();
        memory.put(0, element, element.position(), element.remaining());
        int filled = element.remaining();
        while (filled < total) {
            int chunk = Math.min(filled, total - filled);
            memory.put(filled, memory, 0, chunk);
            filled += chunk;
        }
    }
}
