package org.tensorbridge.arrow;

import java.util.Objects;
import org.tensorbridge.Sharing;

/**
 * The result of exporting a tensor to Arrow: the {@link #vector()} and whether it shares the tensor's
 * memory.
 *
 * <p>{@link #sharing()} is {@link Sharing#SHARED} when the column's data buffer aliases the tensor's
 * memory (writes on one side are seen on the other), and {@link Sharing#INDEPENDENT} when the export
 * copied (a device tensor, or {@code CopyPolicy.ALWAYS}); {@link #bytesCopied()} is then the number of
 * bytes the export copied, and 0 for a zero-copy export.
 *
 * <p>The vector is the caller's: {@link #close()} closes it. Immutable; the vector is not
 * thread-safe for writes, like every Arrow vector.
 */
public final class ExportedTensor implements AutoCloseable {
    private final FixedShapeTensorVector vector;
    private final Sharing sharing;
    private final long bytesCopied;

    ExportedTensor(FixedShapeTensorVector vector, Sharing sharing, long bytesCopied) {
        this.vector = Objects.requireNonNull(vector, "vector");
        this.sharing = Objects.requireNonNull(sharing, "sharing");
        this.bytesCopied = bytesCopied;
    }

    /** The {@code arrow.fixed_shape_tensor} column, one row per index of the tensor's first dimension. */
    public FixedShapeTensorVector vector() {
        return vector;
    }

    /** Whether the column aliases the tensor's memory. */
    public Sharing sharing() {
        return sharing;
    }

    /** Bytes the export copied; 0 when it shares. */
    public long bytesCopied() {
        return bytesCopied;
    }

    /** Closes the vector, releasing its reference to the memory. Idempotent. */
    @Override
    public void close() {
        vector.close();
    }

    @Override
    public String toString() {
        return "ExportedTensor[" + vector.getField() + ", " + vector.getValueCount() + " rows, " + sharing + ", "
                + bytesCopied + " bytes copied]";
    }
}
