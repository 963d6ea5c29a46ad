package org.tensorbridge.arrow;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * The memory of a host array, lent to Arrow as a {@link ForeignAllocation}: Arrow buffers made from it
 * alias the array's bytes, and when Arrow releases the last of them, {@link #release0()} closes the
 * {@code release} handle (the host array itself, or whatever holds it), exactly once.
 *
 * <p>It also keeps the array's {@link ByteBuffer} reachable, so memory the JDK frees when the buffer is
 * collected (a CPU tensor's) cannot go while Arrow uses it. Thread-safe.
 */
final class HostArrayAllocation extends ForeignAllocation {
    private final ByteBuffer memory;
    private final AutoCloseable release;
    private final AtomicBoolean released = new AtomicBoolean();

    private HostArrayAllocation(ByteBuffer memory, long address, AutoCloseable release) {
        super(memory.remaining(), address);
        this.memory = memory;
        this.release = release;
    }

    /**
     * An allocation over the {@code remaining()} bytes of a direct buffer.
     *
     * <p>Java 17 has no public way to read a direct buffer's address; Arrow's {@link MemoryUtil} reads
     * {@code java.nio.Buffer.address}, which is what Arrow itself relies on (and why Arrow needs
     * {@code --add-opens=java.base/java.nio=ALL-UNNAMED}). Using Arrow's accessor keeps this module
     * free of its own {@code Unsafe} code and fails exactly when Arrow fails.
     */
    static HostArrayAllocation over(ByteBuffer memory, AutoCloseable release) {
        if (!memory.isDirect()) {
            throw new ArrowLayoutException("the host array's buffer is a heap buffer; only direct memory can be "
                    + "lent to Arrow without a copy");
        }
        long address = MemoryUtil.getByteBufferAddress(memory) + memory.position();
        return new HostArrayAllocation(memory, address, release);
    }

    /** The address Arrow buffers over this allocation start at. */
    long address() {
        return memoryAddress();
    }

    @Override
    protected void release0() {
        releaseNow();
    }

    /** Closes the release handle unless that already happened; for failures before Arrow took over. */
    void releaseNow() {
        if (released.compareAndSet(false, true)) {
            try {
                release.close();
            } catch (Exception e) {
                System.getLogger(HostArrayAllocation.class.getName()).log(System.Logger.Level.WARNING,
                        "tensorbridge: closing the host memory lent to Arrow failed", e);
            }
        }
    }

    /** {@code host memory lent to Arrow (64 bytes at 0x7f...)}; keeps {@code memory} referenced. */
    @Override
    public String toString() {
        return "host memory lent to Arrow (" + memory.remaining() + " bytes at 0x" + Long.toHexString(memoryAddress())
                + (released.get() ? ", released)" : ")");
    }
}
