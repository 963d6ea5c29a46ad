package org.tensorbridge.memory;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;
import org.tensorbridge.SparseValue;

/**
 * The only way to make a {@link BufferHostArray}. Each factory derives the array's report from what it
 * does, and checks what it is told, so no caller can forge the report the project exists to
 * guarantee:
 * <ul>
 *   <li>{@link #share}: a view of memory that another holder keeps — {@code SHARED}, 0 bytes copied;</li>
 *   <li>{@link #copy}: new memory filled here — {@code INDEPENDENT}, its byte size copied;</li>
 *   <li>{@link #handOver}: memory only the caller held, never seen outside the library —
 *       {@code INDEPENDENT}, 0 bytes copied.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class HostArrays {
    private HostArrays() {
    }

    /**
     * A shared view, taking over one reference that the caller retained for it.
     *
     * @throws IllegalStateException if no other holder keeps the memory (it would not be shared): the
     *     storage must have another reference, or be a view of engine memory that another block holds;
     *     the reference is released
     */
    public static BufferHostArray share(HostStorage retained, DType dtype, Shape shape, Device source,
            boolean readOnly) {
        if (retained.referenceCount() < 2 && !retained.isView()) {
            retained.release();
            throw new IllegalStateException("a share needs memory that another holder keeps, but this array would be its "
                    + "only holder; make a copy or hand the memory over instead");
        }
        return new BufferHostArray(retained, dtype, shape, source, Sharing.SHARED, 0, readOnly);
    }

    /**
     * A shared view that takes over a pin: the reference a conversion took on its tensor's memory for the
     * length of the call. Unlike {@link #share} it does not ask for another holder: the tensor may be
     * closed while the conversion runs, and the view then keeps the memory alone, as every share does once
     * its tensor is closed.
     */
    public static BufferHostArray sharePinned(HostStorage pinned, DType dtype, Shape shape, Device source,
            boolean readOnly) {
        return new BufferHostArray(pinned, dtype, shape, source, Sharing.SHARED, 0, readOnly);
    }

    /**
     * An independent copy: new host memory (from the pool of reusable blocks) that {@code writer}
     * fills with every byte of the elements, in native order, while this call runs. The writer must
     * not keep the buffer it is given.
     */
    public static BufferHostArray copy(DType dtype, Shape shape, Device source, boolean readOnly, MemoryLedger ledger,
            Consumer<ByteBuffer> writer) {
        long bytes = shape.elementCount() * dtype.byteWidth();
        return copyInto(HostStorage.allocateForCopy(bytes, ledger), dtype, shape, source, readOnly, writer);
    }

    /**
     * {@link #copy} into host memory the caller made for it ({@link HostStorage#allocateForCopy} or
     * {@link HostStorage#lentForCopy}), taking over its only reference: the array is {@code INDEPENDENT}
     * because the storage is new memory that no one else holds or has seen.
     *
     * @throws IllegalArgumentException if {@code fresh} has another holder, was seen, is wrapped or
     *     foreign memory, or is smaller than the elements; it is released
     */
    public static BufferHostArray copyInto(HostStorage fresh, DType dtype, Shape shape, Device source,
            boolean readOnly, Consumer<ByteBuffer> writer) {
        long bytes = shape.elementCount() * dtype.byteWidth();
        if (fresh.referenceCount() != 1 || fresh.isSeen() || fresh.isWrapped() || fresh.isForeign()
                || fresh.isReadOnly() || fresh.byteSize() < bytes) {
            fresh.release();
            throw new IllegalArgumentException("fresh must be new, writable host memory of at least " + bytes
                    + " bytes held by the caller alone; make it with HostStorage.allocateForCopy or "
                    + "HostStorage.lentForCopy");
        }
        try {
            writer.accept(fresh.transientBuffer().limit((int) bytes));
        } catch (RuntimeException | Error e) {
            fresh.release();
            throw e;
        }
        return new BufferHostArray(fresh, dtype, shape, source, Sharing.INDEPENDENT, bytes, readOnly);
    }

    /**
     * True if {@code storage} can be {@linkplain #handOver handed over} by a caller holding its only
     * reference: the library's own memory, or a {@linkplain HostStorage#viewOf view} of an engine's
     * block that only the view holds (an engine block's memory is its own: no other block aliases it).
     */
    public static boolean canHandOver(HostStorage storage, int callerReferences) {
        boolean sole = storage.referenceCount() == callerReferences && !storage.isReadOnly() && !storage.isSeen();
        if (storage.isView()) {
            return sole && storage.viewedReferences() == 1;
        }
        return sole && !storage.isWrapped() && !storage.isForeign();
    }

    /**
     * A writable, independent array over memory handed over whole, taking over the caller's reference.
     *
     * @throws IllegalStateException if someone else holds or has seen the memory, or it is not this
     *     library's own; the reference is released
     */
    public static BufferHostArray handOver(HostStorage sole, DType dtype, Shape shape, Device source) {
        if (!canHandOver(sole, 1)) {
            sole.release();
            throw new IllegalStateException("memory can be handed over only by its sole holder, and only if it is "
                    + "this library's own and no buffer over it was handed out; copy it instead");
        }
        return new BufferHostArray(sole, dtype, shape, source, Sharing.INDEPENDENT, 0, false);
    }

    /** A sparse value of COO {@code indices} and {@code values}, taking both over. */
    public static SparseValue sparseValue(BufferHostArray indices, BufferHostArray values, Shape denseShape,
            boolean canonical, Device device, MemoryLedger ledger) {
        return new HostSparseValue(indices, values, denseShape, canonical, device, ledger);
    }

    /** The invariants of every array this class makes: what {@link BufferHostArray}'s constructor checks. */
    static void requireConsistent(HostStorage storage, DType dtype, Shape shape, long bytesCopied, boolean readOnly) {
        if (storage.isReadOnly() && !readOnly) {
            throw new IllegalArgumentException("readOnly is false over read-only storage; a view of read-only memory "
                    + "must be read-only");
        }
        long needed = shape.elementCount() * dtype.byteWidth();
        if (storage.byteSize() < needed) {
            throw new IllegalArgumentException("storage holds " + storage.byteSize() + " bytes but " + dtype.displayName()
                    + shape + " needs " + needed);
        }
        if (bytesCopied < 0) {
            throw new IllegalArgumentException("bytesCopied is " + bytesCopied + "; it must be 0 or more");
        }
    }
}
