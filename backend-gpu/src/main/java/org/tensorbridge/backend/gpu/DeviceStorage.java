package org.tensorbridge.backend.gpu;

import java.util.Objects;
import org.jocl.cl_mem;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.memory.Storage;

/**
 * Tensor memory in an OpenCL buffer ({@code cl_mem}) on the backend's device. The host cannot address
 * it: every host array made from it is a copy. A zero-byte block owns no {@code cl_mem} (OpenCL has no
 * empty buffers); kernels receive a placeholder for it.
 *
 * <p>Lifetime: reference counted by {@link Storage}; {@link #free()} releases the {@code cl_mem} once,
 * when the last holder releases the block. Nothing on the host aliases device memory, so freeing can
 * never leave a host view dangling. Thread-safe.
 */
final class DeviceStorage extends Storage {
    private final ClContext context;
    private final cl_mem memory;

    private DeviceStorage(ClContext context, cl_mem memory, long byteSize, MemoryLedger ledger) {
        super(byteSize, ledger, "OpenCL buffer");
        this.context = context;
        this.memory = memory;
    }

    /** A new block of {@code byteSize} bytes, contents unspecified, with one reference. */
    static DeviceStorage allocate(ClContext context, long byteSize, MemoryLedger ledger) {
        Objects.requireNonNull(context, "context");
        cl_mem memory = byteSize == 0 ? null : context.create(byteSize);
        try {
            return new DeviceStorage(context, memory, byteSize, ledger);
        } catch (RuntimeException | Error e) {
            if (memory != null) {
                context.release(memory, byteSize);
            }
            throw e;
        }
    }

    /** The buffer, or the context's placeholder for a zero-byte block. */
    cl_mem memory() {
        return memory != null ? memory : context.placeholder();
    }

    /** True for a zero-byte block, which owns no buffer. */
    boolean isEmpty() {
        return memory == null;
    }

    @Override
    protected void free() {
        if (memory == null) {
            return;
        }
        try {
            context.release(memory, byteSize());
        } catch (RuntimeException e) {
            // free() runs inside close(); a failed release is reported, never thrown at the closing caller.
            System.getLogger(DeviceStorage.class.getName()).log(System.Logger.Level.WARNING,
                    "tensorbridge: releasing an OpenCL buffer of " + byteSize() + " bytes failed", e);
        }
    }
}
