package org.tensorbridge.backend.gpu;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.spi.Memory;
import org.tensorbridge.spi.Operand;

/**
 * The backend's {@link Memory}: OpenCL buffers ({@link DeviceStorage}) counted by the backend's ledger,
 * blocking transfers to and from host buffers (host copies staged through pinned memory where the
 * device gains from it, see {@link PinnedPool}), and a fill kernel, so no host pattern is built for
 * {@code fill}, {@code zeros} or {@code ones}. Tensors are at most the device's largest allocation
 * ({@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}) and at most {@link Integer#MAX_VALUE} bytes, the size of one
 * host block their copies need.
 *
 * <p>Thread-safe: transfers and the fill run under the context's lock.
 */
final class DeviceMemory implements Memory {
    private final ClContext cl;
    private final MemoryLedger ledger;
    private final long maxTensorBytes;
    private final PinnedPool pinned;

    DeviceMemory(ClContext cl, MemoryLedger ledger, PinnedPool pinned) {
        this.cl = cl;
        this.ledger = ledger;
        this.pinned = pinned;
        this.maxTensorBytes = Math.max(0, Math.min(cl.device().maxAllocation(), Integer.MAX_VALUE));
    }

    static DeviceStorage device(Operand operand) {
        return (DeviceStorage) operand.storage();
    }

    @Override
    public Storage allocate(DType dtype, Shape shape) {
        return DeviceStorage.allocate(cl, shape.elementCount() * dtype.byteWidth(), ledger);
    }

    @Override
    public void upload(ByteBuffer source, Storage target) {
        DeviceStorage device = (DeviceStorage) target;
        if (device.isEmpty() || !source.hasRemaining()) {
            return;
        }
        cl.run(q -> q.write(source, device.memory(), 0));
    }

    /**
     * A pinned block from the backend's {@link PinnedPool} where it stages copies of this size (a discrete
     * GPU, by default), so that {@link #download}'s {@code clEnqueueReadBuffer} runs at bus speed;
     * otherwise, or where pinned memory cannot be had (page-locked memory is a limited resource), a block
     * of the library's host pool.
     */
    @Override
    public HostStorage allocateHostCopy(long byteSize, MemoryLedger ledger) {
        if (pinned.serves(byteSize)) {
            try {
                return pinned.lend(byteSize, ledger);
            } catch (OpenClException e) {
                // The copy still succeeds in pageable memory, only slower.
                System.getLogger(DeviceMemory.class.getName()).log(System.Logger.Level.DEBUG,
                        "tensorbridge: no pinned block of " + byteSize + " bytes; copying into pageable memory", e);
            }
        }
        return HostStorage.allocateForCopy(byteSize, ledger);
    }

    @Override
    public void download(Storage source, ByteBuffer target) {
        DeviceStorage device = (DeviceStorage) source;
        if (device.isEmpty() || !target.hasRemaining()) {
            return;
        }
        cl.run(q -> q.read(device.memory(), 0, target));
    }

    /** One launch of {@code fill_W} (W the element width) with the element as a kernel argument. */
    @Override
    public void fill(Operand target, ByteBuffer element) {
        long n = target.shape().elementCount();
        if (n == 0) {
            return;
        }
        byte[] value = new byte[target.dtype().byteWidth()];
        element.duplicate().get(value);
        cl.run(q -> fill(q, target, value));
    }

    /** Sets every element of {@code target} to {@code value} (one element's native-order bytes). */
    static void fill(ClQueue q, Operand target, byte[] value) {
        long n = target.shape().elementCount();
        q.kernel(ProgramSources.COMMON, "fill_" + value.length).mem(device(target)).bytes(value).i64(n).run(n);
    }

    @Override
    public long maxTensorBytes() {
        return maxTensorBytes;
    }

    /** The bytes of the device buffers this backend has created and not yet released with clReleaseMemObject. */
    @Override
    public OptionalLong heldBytes() {
        return OptionalLong.of(cl.liveBytes());
    }
}
