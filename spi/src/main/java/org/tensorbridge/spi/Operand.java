package org.tensorbridge.spi;

import java.util.Objects;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.memory.Storage;

/**
 * What a kernel receives for each input and output: memory, dtype and shape, in row-major order.
 * The base holds a reference to every operand's storage for the whole call, so a
 * concurrent {@code close()} of the tensor cannot free it under the kernel.
 *
 * <p>Immutable and thread-safe.
 */
public final class Operand {
    private final Storage storage;
    private final DType dtype;
    private final Shape shape;

    /** An operand over {@code storage}, which must hold at least the shape's bytes. */
    public Operand(Storage storage, DType dtype, Shape shape) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = Objects.requireNonNull(shape, "shape");
    }

    /** The memory. */
    public Storage storage() {
        return storage;
    }

    /** Element type. */
    public DType dtype() {
        return dtype;
    }

    /** Dimensions. */
    public Shape shape() {
        return shape;
    }

    /** Bytes of the elements. */
    public long byteSize() {
        return shape.elementCount() * dtype.byteWidth();
    }
}
