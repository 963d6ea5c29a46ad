package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
 * <p>Blocks are limited to {@link Integer#MAX_VALUE} bytes, the size of a {@code ByteBuffer}.
 * Thread-safe.
 */
public final class HostStorage extends Storage {
    private final ByteBuffer memory;
    private final boolean readOnly;
    private final AutoCloseable owner;
    private final boolean wrapped;

    private HostStorage(ByteBuffer memory, boolean readOnly, MemoryLedger ledger, String description,
            AutoCloseable owner, boolean wrapped) {
        super(memory.capacity(), ledger, description);
        this.memory = memory;
        this.readOnly = readOnly;
        this.owner = owner;
        this.wrapped = wrapped;
    }

    /**
     * New zeroed host memory.
     *
     * @throws IllegalArgumentException if {@code byteSize} is negative or over 2 GiB
     */
    public static HostStorage allocate(long byteSize, MemoryLedger ledger) {
        if (byteSize < 0 || byteSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("byteSize is " + byteSize + "; host memory blocks hold 0 to "
                    + Integer.MAX_VALUE + " bytes. Split the tensor into smaller ones");
        }
        return new HostStorage(ByteBuffer.allocateDirect((int) byteSize), false, ledger, "host memory", null, false);
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
                owner == null ? "wrapped caller buffer" : "wrapped foreign memory", owner, true);
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
        return owner != null;
    }

    /** Closes a foreign memory owner; a failure is logged, never thrown, since it happens inside close(). */
    static void closeOwner(AutoCloseable owner) {
        try {
            owner.close();
        } catch (Exception e) {
            System.getLogger(HostStorage.class.getName()).log(System.Logger.Level.WARNING,
                    "tensorbridge: closing the owner of wrapped memory failed", e);
        }
    }

    /**
     * A new buffer object over the whole block, position 0, native byte order; read-only if the
     * block is. The caller must hold a reference while using it for the contract to apply.
     */
    public ByteBuffer buffer() {
        return memory.duplicate().order(ByteOrder.nativeOrder());
    }

    /** True if the memory must not be written (a wrapped read-only buffer). */
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    protected void free() {
        // Our own memory is left to the JDK (see the class comment); foreign memory goes back to its owner.
        if (owner != null) {
            closeOwner(owner);
        }
    }
}
