package org.tensorbridge.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Host memory behind a direct {@link ByteBuffer}: memory this library allocated, or a caller's
 * buffer wrapped without a copy. Host arrays and CPU tensors share it by holding references.
 *
 * <p>Why freeing is left to the JDK: a host view hands out {@code ByteBuffer}s, and Java 17 cannot
 * revoke a {@code ByteBuffer}. So {@link #free()} drops this block's accounting and its own reference,
 * and the JDK reclaims the bytes once no buffer over them is reachable. A buffer used after every
 * holder closed therefore reads stale values but never crashes the JVM. A wrapped caller buffer is
 * kept reachable for as long as the block is.
 *
 * <p>Blocks for copies ({@link #allocateForCopy}) come from a pool and go back to it when freed, but
 * only if no {@code ByteBuffer} over them ever left the library ({@link #buffer()} marks a block as
 * seen): a reused block can then be reached by no stale buffer, and the sentence above still holds.
 * A block a backend lends for a copy ({@link #lentForCopy}) follows the same rule through its
 * {@link LentBlock}: reused if unseen, else kept valid by the lender while a buffer over it is reachable.
 *
 * <p>Blocks are limited to {@link Integer#MAX_VALUE} bytes, the size of a {@code ByteBuffer}.
 * Thread-safe.
 */
public final class HostStorage extends Storage {
    private final ByteBuffer memory;
    private final boolean readOnly;
    private final AutoCloseable owner;
    private final boolean wrapped;
    /** The pooled block behind {@link #memory}, or null for memory that is never reused. */
    private final ByteBuffer pooledBlock;
    /** The backend's block lent for one copy, told on free how it comes back; or null. */
    private final LentBlock lent;
    /** The engine memory block this one is a host view of, or null. */
    private final Storage viewed;
    /** Set once a buffer over the memory was handed out: the block may then never be reused. */
    private volatile boolean seen;
    /** Volatile: a buffer's address is no final field, so the view is published with a barrier. */
    private volatile ByteBuffer readView;

    private HostStorage(ByteBuffer memory, boolean readOnly, MemoryLedger ledger, String description,
            AutoCloseable owner, boolean wrapped, ByteBuffer pooledBlock) {
        this(memory, readOnly, ledger, description, owner, wrapped, pooledBlock, null);
    }

    private HostStorage(ByteBuffer memory, boolean readOnly, MemoryLedger ledger, String description,
            AutoCloseable owner, boolean wrapped, ByteBuffer pooledBlock, LentBlock lent) {
        super(memory.capacity(), ledger, description);
        this.memory = memory;
        this.readOnly = readOnly;
        this.owner = owner;
        this.wrapped = wrapped;
        this.pooledBlock = pooledBlock;
        this.lent = lent;
        this.viewed = null;
    }

    private HostStorage(ByteBuffer memory, Storage viewed, boolean readOnly) {
        super(memory.capacity(), viewed.ledger(), "host view of engine memory", false);
        this.memory = memory;
        this.readOnly = readOnly;
        this.owner = null;
        this.wrapped = true;
        this.pooledBlock = null;
        this.lent = null;
        this.viewed = viewed;
    }

    /**
     * Host memory that belongs to another block of the same backend, such as the native buffer of a
     * tensor an engine (TensorFlow, ONNX Runtime) allocated: {@code memory} is that buffer seen from
     * Java, and {@code viewed} is retained until this view is freed, then released exactly once. The
     * ledger counts the memory once, through {@code viewed}. Readers must hold a reference for each
     * read, as for foreign memory.
     *
     * @throws IllegalArgumentException if {@code memory} is not direct
     * @throws org.tensorbridge.ClosedResourceException if {@code viewed} was already released
     */
    public static HostStorage viewOf(Storage viewed, ByteBuffer memory, boolean readOnly) {
        requireDirect(memory);
        viewed.retain();
        return viewHolding(viewed, memory, readOnly);
    }

    /**
     * {@link #viewOf} for a caller that holds a reference to {@code viewed} and passes it on: the view keeps
     * that reference instead of taking one of its own (two atomic updates fewer). The caller's reference is
     * released if this throws.
     *
     * @throws IllegalArgumentException if {@code memory} is not direct
     */
    public static HostStorage viewHolding(Storage viewed, ByteBuffer memory, boolean readOnly) {
        try {
            requireDirect(memory);
            return new HostStorage(memory.slice(), viewed, readOnly || memory.isReadOnly());
        } catch (RuntimeException | Error e) {
            viewed.release();
            throw e;
        }
    }

    private static void requireDirect(ByteBuffer memory) {
        if (!memory.isDirect()) {
            throw new IllegalArgumentException("memory is a heap buffer; a host view of engine memory must be direct");
        }
    }

    /**
     * New zeroed host memory.
     *
     * @throws IllegalArgumentException if {@code byteSize} is negative or over 2 GiB
     */
    public static HostStorage allocate(long byteSize, MemoryLedger ledger) {
        return new HostStorage(ByteBuffer.allocateDirect(checkedSize(byteSize)), false, ledger, "host memory", null,
                false, null);
    }

    /**
     * Host memory for a copy that will overwrite every byte before anyone reads it: its contents are
     * undefined (a reused block is not zeroed), which is what makes it cheap. The block comes from
     * the library's pool and returns there when freed, unless a buffer over it was handed out.
     *
     * @throws IllegalArgumentException if {@code byteSize} is negative or over 2 GiB
     */
    public static HostStorage allocateForCopy(long byteSize, MemoryLedger ledger) {
        ByteBuffer block = HostBlockPool.SHARED.take(checkedSize(byteSize));
        ByteBuffer memory = block.duplicate().limit((int) byteSize).slice();
        return new HostStorage(memory, false, ledger, "host memory", null, false, block);
    }

    /**
     * Host memory for a copy in a block that a backend lends ({@code memory}: direct, writable, its
     * {@code remaining()} bytes), such as pinned memory a device copies into at bus speed. Like
     * {@link #allocateForCopy} its contents are undefined until the copy overwrites them; it is this
     * library's memory as far as sharing goes (not wrapped, not foreign). When freed, {@code block} is
     * told once whether it may be reused ({@link LentBlock#reuse()}) or whether a buffer over it was
     * handed out ({@link LentBlock#abandon()}); the lender keeps the memory valid in the second case.
     *
     * @throws IllegalArgumentException if {@code memory} is not direct or is read-only
     */
    public static HostStorage lentForCopy(ByteBuffer memory, MemoryLedger ledger, LentBlock block) {
        Objects.requireNonNull(block, "block");
        if (!memory.isDirect() || memory.isReadOnly()) {
            throw new IllegalArgumentException("memory is " + (memory.isDirect() ? "read-only" : "a heap buffer")
                    + "; a lent block for a copy must be direct and writable");
        }
        return new HostStorage(memory.slice(), false, ledger, "lent host memory", null, false, null, block);
    }

    private static int checkedSize(long byteSize) {
        if (byteSize < 0 || byteSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("byteSize is " + byteSize + "; host memory blocks hold 0 to "
                    + Integer.MAX_VALUE + " bytes. Split the tensor into smaller ones");
        }
        return (int) byteSize;
    }

    /**
     * Wraps the {@code remaining()} bytes of a caller's direct buffer without copying; read-only if
     * the buffer is.
     *
     * @throws IllegalArgumentException if the buffer is not direct
     */
    public static HostStorage wrap(ByteBuffer buffer, MemoryLedger ledger) {
        return wrap(buffer, ledger, null);
    }

    /**
     * Wraps memory that {@code owner} frees: {@code owner} is closed once, when this block is freed
     * (the last holder released it). A null owner means the buffer's own lifetime is enough.
     *
     * @throws IllegalArgumentException if the buffer is not direct
     */
    public static HostStorage wrap(ByteBuffer buffer, MemoryLedger ledger, AutoCloseable owner) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("buffer is a heap buffer; only direct buffers can be wrapped without a copy");
        }
        return new HostStorage(buffer.slice(), buffer.isReadOnly(), ledger,
                owner == null ? "wrapped caller buffer" : "wrapped foreign memory", owner, true, null);
    }

    /**
     * Bytes of host blocks kept for reuse by copies right now: direct memory that no tensor or array
     * holds, which a check of the JVM's direct-memory level must allow for.
     */
    public static long idleReusableBytes() {
        return HostBlockPool.SHARED.heldBytes();
    }

    /** True if the memory came from a caller (a wrapped buffer, foreign or not): someone else can see it. */
    public boolean isWrapped() {
        return wrapped;
    }

    /**
     * True if someone else frees the memory: readers must hold a reference for each read, since the
     * bytes may be gone once the block is freed.
     */
    public boolean isForeign() {
        return owner != null || viewed != null;
    }

    /** Closes a foreign memory owner; a failure is logged, never thrown, since it happens inside close(). */
    public static void closeOwner(AutoCloseable owner) {
        try {
            owner.close();
        } catch (Exception e) {
            System.getLogger(HostStorage.class.getName()).log(System.Logger.Level.WARNING,
                    "tensorbridge: closing the owner of wrapped memory failed", e);
        }
    }

    /**
     * A new buffer object over the whole block, position 0, native byte order; read-only if the
     * block is. The caller must hold a reference while using it for the contract to apply. The block
     * is never reused afterwards, since the buffer may outlive every reference.
     */
    public ByteBuffer buffer() {
        seen = true;
        return unseenBuffer();
    }

    /**
     * {@link #buffer()} for a caller that uses the buffer only while it holds a reference and keeps
     * it nowhere after releasing (a bulk copy into the block, say), so the block can still be reused.
     */
    public ByteBuffer transientBuffer() {
        return unseenBuffer();
    }

    private ByteBuffer unseenBuffer() {
        return memory.duplicate().order(ByteOrder.nativeOrder());
    }

    /**
     * One native-order buffer over the whole block, made on first use and kept, for this package's absolute
     * bulk reads while a reference is held: a copy out of a host array then makes no buffer of its own.
     * Never handed out and never repositioned, so it may be shared by threads.
     */
    ByteBuffer readView() {
        ByteBuffer view = readView;
        if (view == null) {
            view = unseenBuffer();
            readView = view;
        }
        return view;
    }

    /** Records that a buffer from {@link #transientBuffer()} was handed out after all: no reuse. */
    public void markSeen() {
        seen = true;
    }

    /** True for a {@linkplain #viewOf view} of memory that another block holds. */
    public boolean isView() {
        return viewed != null;
    }

    /** For a view, how many holders the viewed block has (this view is one); 0 for other memory. */
    int viewedReferences() {
        return viewed == null ? 0 : viewed.referenceCount();
    }

    /** True once a buffer over the memory was handed out: someone may hold an alias of it. */
    boolean isSeen() {
        return seen;
    }

    /** True if this block goes back to the pool, or to the backend that lent it, when freed. */
    boolean isReusable() {
        return (pooledBlock != null || lent != null) && !seen;
    }

    /** True if the memory must not be written (a wrapped read-only buffer). */
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    protected void free() {
        // Our own memory is reused if nothing outside saw it, else left to the JDK (see the class comment);
        // foreign memory goes back to its owner.
        if (viewed != null) {
            viewed.release();
        } else if (owner != null) {
            closeOwner(owner);
        } else if (lent != null) {
            if (seen) {
                lent.abandon();
            } else {
                lent.reuse();
            }
        } else if (isReusable()) {
            HostBlockPool.SHARED.give(pooledBlock);
        }
    }
}
