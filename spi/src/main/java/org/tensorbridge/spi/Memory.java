package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.memory.Storage;

/**
 * The memory of a backend (required): allocation knowing dtype and shape, and transfers between it
 * and host buffers. Everything else a backend supplies is optional.
 *
 * <p>Implementations must be thread-safe. The base holds a reference to every storage passed in for
 * the whole call.
 */
public interface Memory {
    /**
     * New memory for a {@code dtype} tensor of {@code shape} (its element count times the dtype's width
     * in bytes, at most {@link #maxTensorBytes()}), with one reference; contents unspecified.
     */
    Storage allocate(DType dtype, Shape shape);

    /**
     * Memory for a result that its kernel overwrites completely before anyone reads it (elementwise,
     * cast, transpose and reduction results), so it may be uninitialised or reused. Default:
     * {@link #allocate}.
     */
    default Storage allocateForOverwrite(DType dtype, Shape shape) {
        return allocate(dtype, shape);
    }

    /** Copies {@code source}'s remaining bytes (native order) to the start of {@code target}. */
    void upload(ByteBuffer source, Storage target);

    /**
     * Copies the first {@code target.remaining()} bytes of {@code source} into {@code target}, all of
     * them, before returning; {@code target} must not be kept, since its memory may be reused for another
     * copy once the host array over it is closed.
     */
    void download(Storage source, ByteBuffer target);

    /**
     * New host memory for a copy of {@code byteSize} bytes that {@link #download} will fill completely,
     * with one reference held by the caller; the copy's host array holds it from then on. Default: a
     * block of the library's host pool ({@link HostStorage#allocateForCopy}). A backend whose transfers
     * are faster into memory of its own (pinned host memory on a GPU) returns a block it lends
     * ({@link HostStorage#lentForCopy}) and takes back when the array is closed.
     */
    default HostStorage allocateHostCopy(long byteSize, MemoryLedger ledger) {
        return HostStorage.allocateForCopy(byteSize, ledger);
    }

    /**
     * Sets every element of {@code target} to {@code element} (one element, native order). Default:
     * the pattern built on the host and uploaded, which costs a host buffer of the tensor's size; a
     * backend with a fill kernel overrides it.
     */
    default void fill(Operand target, ByteBuffer element) {
        int width = element.remaining();
        ByteBuffer pattern = ByteBuffer.allocateDirect((int) target.byteSize());
        for (int at = 0; at < pattern.capacity(); at += width) {
            pattern.put(at, element, element.position(), width);
        }
        upload(pattern, target.storage());
    }

    /**
     * Refuses a shape this memory cannot hold whatever its byte size, such as more dimensions than the engine
     * underneath supports: throws {@link org.tensorbridge.ShapeMismatchException} with a message that begins
     * with {@code argument} and says the limit. Called before anything is allocated for a created tensor or an
     * operation's result. Default: every shape is held.
     */
    default void requireHoldable(Shape shape, String argument) {
    }

    /**
     * The largest tensor this memory holds, in bytes; larger shapes are refused before anything is
     * allocated. Default: the size of one host block, {@link Integer#MAX_VALUE}.
     */
    default long maxTensorBytes() {
        return Integer.MAX_VALUE;
    }

    /**
     * The bytes of native memory (host off-heap or device) this memory holds right now, counted by its
     * own allocator when blocks are really freed, or empty if it cannot tell. Default: empty.
     */
    default OptionalLong heldBytes() {
        return OptionalLong.empty();
    }
}
