package org.tensorbridge.tck;

import java.nio.ByteBuffer;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Tensor;

/**
 * A tensor whose memory the kit can change behind the backend's back, to observe sharing: through
 * the caller buffer it wraps, or through a writable share. Closing closes both.
 */
final class MutableTensor implements AutoCloseable {
    private final Tensor tensor;
    private final ByteBuffer memory;
    private final HostArray writableShare;
    private final String how;

    MutableTensor(Tensor tensor, ByteBuffer memory, HostArray writableShare, String how) {
        this.tensor = tensor;
        this.memory = memory;
        this.writableShare = writableShare;
        this.how = how;
    }

    Tensor tensor() {
        return tensor;
    }

    /** How the memory is changed, for failure messages. */
    String how() {
        return how;
    }

    void set(int flatIndex, double value) {
        DType dtype = tensor.dtype();
        ByteBuffer target = writableShare != null ? writableShare.asByteBuffer() : memory;
        Elements.put(target, dtype, flatIndex, value);
    }

    @Override
    public void close() {
        if (writableShare != null) {
            writableShare.close();
        }
        tensor.close();
    }
}
