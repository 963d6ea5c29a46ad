package org.tensorbridge.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import org.tensorbridge.BFloat16;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.Device;
import org.tensorbridge.Float16;
import org.tensorbridge.HostArray;
import org.tensorbridge.ReadOnlyException;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;

/**
 * The {@link HostArray} of every backend built on the spi: a row-major view of a {@link HostStorage}
 * with a sharing report that {@link HostArrays} derived from how the array was made — no caller can
 * choose it, so it cannot lie.
 *
 * <p>It holds one reference to its storage, released through its {@link AccessGuard}: an access racing
 * with {@code close()} returns the element or throws {@link ClosedResourceException}, and never
 * touches released memory, even foreign memory that its owner frees on release. A buffer from
 * {@link #asByteBuffer()} is outside this guard: over this library's own memory it stays safe (see
 * {@link HostStorage}); over foreign memory it must not be used after close.
 *
 * <p>Thread-safe as {@link HostArray} describes.
 */
public final class BufferHostArray implements HostArray, AccessGuard.Owner {
    private final HostStorage storage;
    /** The elements, made on first access: a conversion that is closed unread costs no buffer. */
    private volatile ByteBuffer elements;
    private final DType dtype;
    private final Shape shape;
    private final Device sourceDevice;
    private final Sharing sharing;
    private final long bytesCopied;
    private final boolean readOnly;
    private final AccessGuard guard;

    /** Takes over one reference to {@code storage}; only {@link HostArrays} makes arrays. */
    BufferHostArray(HostStorage storage, DType dtype, Shape shape, Device sourceDevice, Sharing sharing,
            long bytesCopied, boolean readOnly) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.sourceDevice = Objects.requireNonNull(sourceDevice, "sourceDevice");
        this.sharing = Objects.requireNonNull(sharing, "sharing");
        HostArrays.requireConsistent(storage, dtype, shape, bytesCopied, readOnly);
        this.bytesCopied = bytesCopied;
        this.readOnly = readOnly;
        this.guard = new AccessGuard(storage, this);
    }

    /**
     * The elements, read-only where the array is; every access through this array is guarded, and only
     * {@link #asByteBuffer()} lets the memory out. Made once; a race makes two equal buffers, one kept.
     */
    private ByteBuffer elements() {
        ByteBuffer made = elements;
        if (made == null) {
            ByteBuffer buffer = storage.transientBuffer().limit((int) byteSize());
            made = (readOnly ? buffer.asReadOnlyBuffer() : buffer).order(ByteOrder.nativeOrder());
            elements = made;
        }
        return made;
    }

    /**
     * Applies {@code read} to the elements' bytes (absolute reads only: the buffer is shared) inside one access,
     * for this package's readers: a racing {@code close()} defers the release until the access ends, or this
     * throws {@link ClosedResourceException}.
     */
    <T> T read(Function<ByteBuffer, T> read) {
        guard.enter();
        try {
            return read.apply(storage.readView());
        } finally {
            guard.exit();
        }
    }

    /** The storage this array holds a reference to; for views over the same memory in this package. */
    HostStorage storage() {
        return storage;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public long[] strides() {
        return shape.contiguousStrides();
    }

    @Override
    public Device sourceDevice() {
        return sourceDevice;
    }

    @Override
    public Sharing sharing() {
        return sharing;
    }

    @Override
    public long bytesCopied() {
        return bytesCopied;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public ByteBuffer asByteBuffer() {
        return read(view -> {
            storage.markSeen();
            return elements().duplicate().order(ByteOrder.nativeOrder());
        });
    }

    // ---- element access ----

    /** The byte offset of {@code index}, after the closed check and then the dtype check. */
    private int offset(long[] index, DType... accepted) {
        guard.ensureOpen();
        requireDType(accepted);
        return byteOffset(index);
    }

    private int byteOffset(long[] index) {
        if (index == null || index.length != shape.rank()) {
            throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " has "
                    + (index == null ? 0 : index.length) + " coordinates but the array " + shape + " has rank "
                    + shape.rank() + "; give one coordinate per dimension");
        }
        long linear = 0;
        for (int axis = 0; axis < index.length; axis++) {
            long i = index[axis];
            long size = shape.dim(axis);
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is out of range at axis "
                        + axis + " for shape " + shape + "; use 0 to " + (size - 1));
            }
            linear = linear * size + i;
        }
        return (int) (linear * dtype.byteWidth());
    }

    private void requireDType(DType... accepted) {
        for (DType d : accepted) {
            if (d == dtype) {
                return;
            }
        }
        throw new DTypeMismatchException("this array is " + dtype.displayName() + " but the accessor reads "
                + Arrays.stream(accepted).map(DType::displayName).toList() + "; use the accessor for "
                + dtype.displayName() + ", or getAsDouble / convertToDoubleArray for any dtype");
    }

    private int writableOffset(long[] index, DType... accepted) {
        int offset = offset(index, accepted);
        if (readOnly) {
            throw new ReadOnlyException("this host array is read-only (" + sharing + " view of a tensor on "
                    + sourceDevice + "); convert with Access.WRITABLE to write through to the tensor, or with "
                    + "CopyPolicy.ALWAYS for a writable independent copy");
        }
        return offset;
    }

    /** Reads one element; the guard holds the memory for the read. */
    private interface Read<T> {
        T at(int offset);
    }

    private <T> T read(long[] index, Read<T> read, DType... accepted) {
        guard.enter();
        try {
            return read.at(offset(index, accepted));
        } finally {
            guard.exit();
        }
    }

    /** Writes one element at a byte offset. */
    private interface Write {
        void at(int offset);
    }

    private void write(long[] index, Write write, DType... accepted) {
        guard.enter();
        try {
            write.at(writableOffset(index, accepted));
        } finally {
            guard.exit();
        }
    }

    @Override
    public boolean getBoolean(long... index) {
        return read(index, at -> elements().get(at) != 0, DType.BOOL);
    }

    @Override
    public byte getByte(long... index) {
        return read(index, at -> elements().get(at), DType.INT8, DType.UINT8);
    }

    @Override
    public short getShort(long... index) {
        return read(index, at -> elements().getShort(at), DType.INT16);
    }

    @Override
    public int getInt(long... index) {
        return read(index, at -> elements().getInt(at), DType.INT32);
    }

    @Override
    public long getLong(long... index) {
        return read(index, at -> elements().getLong(at), DType.INT64);
    }

    @Override
    public float getFloat(long... index) {
        return read(index, at -> switch (dtype) {
            case FLOAT16 -> Float16.toFloat(elements().getShort(at));
            case BFLOAT16 -> BFloat16.toFloat(elements().getShort(at));
            default -> elements().getFloat(at);
        }, DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16);
    }

    @Override
    public double getDouble(long... index) {
        return read(index, at -> elements().getDouble(at), DType.FLOAT64);
    }

    @Override
    public double getAsDouble(long... index) {
        return read(index, at -> ElementAccess.readDouble(elements(), dtype, at / dtype.byteWidth()), DType.values());
    }

    @Override
    public void setBoolean(boolean value, long... index) {
        write(index, at -> elements().put(at, (byte) (value ? 1 : 0)), DType.BOOL);
    }

    @Override
    public void setByte(byte value, long... index) {
        write(index, at -> elements().put(at, value), DType.INT8, DType.UINT8);
    }

    @Override
    public void setShort(short value, long... index) {
        write(index, at -> elements().putShort(at, value), DType.INT16);
    }

    @Override
    public void setInt(int value, long... index) {
        write(index, at -> elements().putInt(at, value), DType.INT32);
    }

    @Override
    public void setLong(long value, long... index) {
        write(index, at -> elements().putLong(at, value), DType.INT64);
    }

    @Override
    public void setFloat(float value, long... index) {
        write(index, at -> {
            switch (dtype) {
                case FLOAT16 -> elements().putShort(at, Float16.fromFloat(value));
                case BFLOAT16 -> elements().putShort(at, BFloat16.fromFloat(value));
                default -> elements().putFloat(at, value);
            }
        }, DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16);
    }

    @Override
    public void setDouble(double value, long... index) {
        write(index, at -> elements().putDouble(at, value), DType.FLOAT64);
    }

    // ---- bulk copies ----

    /**
     * Copies the elements with {@code copy}, after the closed, dtype and length checks, from the storage's own
     * read view: absolute bulk reads, so no buffer is made per copy.
     */
    private void bulk(int destinationLength, BulkCopy copy, DType... accepted) {
        guard.enter();
        try {
            guard.ensureOpen();
            requireDType(accepted);
            long n = shape.elementCount();
            if (destinationLength < n) {
                throw new IndexOutOfBoundsException("destination has length " + destinationLength + " but the array has "
                        + n + " elements; pass an array of at least " + n);
            }
            copy.copy(storage.readView(), (int) n);
        } finally {
            guard.exit();
        }
    }

    private interface BulkCopy {
        void copy(ByteBuffer source, int n);
    }

    @Override
    public void copyTo(boolean[] destination) {
        bulk(destination.length, (bytes, n) -> {
            for (int i = 0; i < n; i++) {
                destination[i] = bytes.get(i) != 0;
            }
        }, DType.BOOL);
    }

    @Override
    public void copyTo(byte[] destination) {
        bulk(destination.length, (bytes, n) -> bytes.get(0, destination, 0, n), DType.INT8, DType.UINT8);
    }

    @Override
    public void copyTo(short[] destination) {
        bulk(destination.length, (bytes, n) -> bytes.asShortBuffer().get(0, destination, 0, n), DType.INT16);
    }

    @Override
    public void copyTo(int[] destination) {
        bulk(destination.length, (bytes, n) -> bytes.asIntBuffer().get(0, destination, 0, n), DType.INT32);
    }

    @Override
    public void copyTo(long[] destination) {
        bulk(destination.length, (bytes, n) -> bytes.asLongBuffer().get(0, destination, 0, n), DType.INT64);
    }

    @Override
    public void copyTo(float[] destination) {
        bulk(destination.length, (bytes, n) -> {
            if (dtype == DType.FLOAT32) {
                bytes.asFloatBuffer().get(0, destination, 0, n);
                return;
            }
            for (int i = 0; i < n; i++) {
                destination[i] = (float) ElementAccess.readDouble(bytes, dtype, i);
            }
        }, DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16);
    }

    @Override
    public void copyTo(double[] destination) {
        bulk(destination.length, (bytes, n) -> bytes.asDoubleBuffer().get(0, destination, 0, n), DType.FLOAT64);
    }

    @Override
    public double[] convertToDoubleArray() {
        return read(bytes -> {
            guard.ensureOpen();
            double[] out = new double[(int) shape.elementCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ElementAccess.readDouble(bytes, dtype, i);
            }
            return out;
        });
    }

    @Override
    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Marks the array closed; its reference to the memory is released at once, or by the last access
     * still in flight, so that no read or write through this array ever touches released memory (which,
     * for foreign memory such as an Arrow buffer, may already be freed by its owner).
     */
    @Override
    public void close() {
        guard.close();
    }

    @Override
    public ClosedResourceException closedException() {
        return new ClosedResourceException("this host array (" + dtype.displayName() + shape + ", " + sharing
                + ") was closed; read it before closing, or convert the tensor again");
    }

    /** {@code int32[2, 2] SHARED read-only, 0 bytes copied, from cpu(...)}. */
    @Override
    public String toString() {
        return dtype.displayName() + shape + " " + sharing + (readOnly ? " read-only" : " writable") + ", "
                + bytesCopied + " bytes copied, from " + sourceDevice + (isClosed() ? " (closed)" : "");
    }
}
