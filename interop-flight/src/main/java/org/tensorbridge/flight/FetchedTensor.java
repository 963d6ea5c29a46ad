package org.tensorbridge.flight;

import java.util.Objects;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;

/**
 * A dense tensor received by {@link TensorFlightClient#get}, and whether it is the received memory.
 *
 * <p>{@link #sharing()} is {@link Sharing#SHARED} when the tensor's memory is the Arrow buffer Flight
 * received the data into (the CPU backend, one batch, no permutation, not {@code ALWAYS}): nothing was
 * copied after the data arrived, {@link #bytesCopied()} is 0, and the buffer stays allocated — counted by the
 * client's allocator — until the tensor and every view of it are closed. It is {@link Sharing#INDEPENDENT}
 * when the tensor is a copy (a backend that cannot wrap host memory, such as the GPU backend; several
 * batches joined; {@code ALWAYS}); {@link #bytesCopied()} is then the bytes of that copy. The report is
 * observed, not assumed: a shared tensor's host view has the received buffer's address.
 *
 * <p>The tensor is the caller's: {@link #close()} closes it. Immutable; the tensor is thread-safe as the
 * backend's tensors are.
 */
public final class FetchedTensor implements AutoCloseable {
    private final Tensor tensor;
    private final Sharing sharing;
    private final long bytesCopied;
    private final FlightTensorInfo info;

    FetchedTensor(Tensor tensor, Sharing sharing, long bytesCopied, FlightTensorInfo info) {
        this.tensor = Objects.requireNonNull(tensor, "tensor");
        this.sharing = Objects.requireNonNull(sharing, "sharing");
        this.bytesCopied = bytesCopied;
        this.info = Objects.requireNonNull(info, "info");
    }

    /** The tensor, of shape {@code [rows] + } the column's row shape. */
    public Tensor tensor() {
        return tensor;
    }

    /** Whether the tensor is the received memory ({@code SHARED}) or a copy of it ({@code INDEPENDENT}). */
    public Sharing sharing() {
        return sharing;
    }

    /** Bytes copied after the data arrived: 0 when shared. */
    public long bytesCopied() {
        return bytesCopied;
    }

    /** What the server said of the name. */
    public FlightTensorInfo info() {
        return info;
    }

    /** Closes the tensor; the received memory goes back to the allocator once no view holds it. Idempotent. */
    @Override
    public void close() {
        tensor.close();
    }

    @Override
    public String toString() {
        return "FetchedTensor[" + info.name() + ", " + tensor.dtype().displayName() + tensor.shape() + ", " + sharing
                + ", " + bytesCopied + " bytes copied]";
    }
}
