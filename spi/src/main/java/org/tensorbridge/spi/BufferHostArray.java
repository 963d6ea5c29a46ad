package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The {@link HostArray} every backend built on this toolkit returns: a row-major view of a
 * {@link HostStorage} with the sharing report it was created with.
 *
 * <p>It holds one reference to its storage, taken by whoever created it and released by
 * {@link #close()} — or, if reads or writes are in flight then, by the last of them. So an access
 * racing with {@code close()} returns the element or throws {@link ClosedResourceException}, and
 * never touches released memory, even foreign memory that its owner frees on release. A buffer from
 * {@link #asByteBuffer()} is outside this guard: over this library's own memory it stays safe (see
 * {@link HostStorage}); over foreign memory it must not be used after close.
 *
 * <p>Thread-safe as {@link HostArray} describes.
 */
public final class BufferHostArray implements HostArray {
    private static final Set<DType> FLOATS = EnumSet.of(DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16);
    private static final Set<DType> BYTES = EnumSet.of(DType.INT8, DType.UINT8);

    private final HostStorage storage;
    private final ByteBuffer elements;
    private final DType dtype;
    private final Shape shape;
    private final long[] strides;
    private final Device sourceDevice;
    private final Sharing sharing;
    private final long bytesCopied;
    private final boolean readOnly;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    /** Reads and writes in progress; the memory is released only when none is (see {@link #close()}). */
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * A host array over {@code storage}, which must already be retained for this array; the array
     * releases it on close.
     *
     * @param readOnly whether writes are rejected; must be true if the storage is read-only
     */
    public BufferHostArray(HostStorage storage, DType dtype, Shape shape, Device sourceDevice, Sharing sharing,
            long bytesCopied, boolean readOnly) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.sourceDevice = Objects.requireNonNull(sourceDevice, "sourceDevice");
        this.sharing = Objects.requireNonNull(sharing, "sharing");
        if (storage.isReadOnly() && !readOnly) {
            throw new IllegalArgumentException("readOnly is false over read-only storage; a view of read-only memory "
                    + "must be read-only");
        }
        long needed = shape.elementCount() * dtype.byteWidth();
        if (storage.byteSize() < needed) {
            throw new IllegalArgumentException("storage holds " + storage.byteSize() + " bytes but " + dtype.displayName()
                    + shape + " needs " + needed);
        }
        if (bytesCopied < 0) {
            throw new IllegalArgumentException("bytesCopied is " + bytesCopied + "; it must be 0 or more");
        }
        this.bytesCopied = bytesCopied;
        this.readOnly = readOnly;
        this.strides = shape.contiguousStrides();
        // Every access through this array is guarded by close(); only asByteBuffer() lets memory out.
        ByteBuffer buffer = storage.transientBuffer().limit((int) needed);
        this.elements = (readOnly ? buffer.asReadOnlyBuffer() : buffer).order(ByteOrder.nativeOrder());
    }

    /** The storage this array holds a reference to; for toolkit classes that build views over the same memory. */
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
        return strides.clone();
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
        enter();
        try {
            ensureOpen();
            storage.markSeen();
            return elements.duplicate().order(ByteOrder.nativeOrder());
        } finally {
            exit();
        }
    }

    // ---- element access ----

    private int offset(long[] index, DType... accepted) {
        ensureOpen();
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
            if (i < 0 || i >= shape.dim(axis)) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is out of range at axis "
                        + axis + " for shape " + shape + "; use 0 to " + (shape.dim(axis) - 1));
            }
            linear += i * strides[axis];
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

    @Override
    public boolean getBoolean(long... index) {
        enter();
        try {
            return elements.get(offset(index, DType.BOOL)) != 0;
        } finally {
            exit();
        }
    }

    @Override
    public byte getByte(long... index) {
        enter();
        try {
            return elements.get(offset(index, DType.INT8, DType.UINT8));
        } finally {
            exit();
        }
    }

    @Override
    public short getShort(long... index) {
        enter();
        try {
            return elements.getShort(offset(index, DType.INT16));
        } finally {
            exit();
        }
    }

    @Override
    public int getInt(long... index) {
        enter();
        try {
            return elements.getInt(offset(index, DType.INT32));
        } finally {
            exit();
        }
    }

    @Override
    public long getLong(long... index) {
        enter();
        try {
            return elements.getLong(offset(index, DType.INT64));
        } finally {
            exit();
        }
    }

    @Override
    public float getFloat(long... index) {
        enter();
        try {
            int at = offset(index, DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16);
            return switch (dtype) {
                case FLOAT16 -> Float16.toFloat(elements.getShort(at));
                case BFLOAT16 -> BFloat16.toFloat(elements.getShort(at));
                default -> elements.getFloat(at);
            };
        } finally {
            exit();
        }
    }

    @Override
    public double getDouble(long... index) {
        enter();
        try {
            return elements.getDouble(offset(index, DType.FLOAT64));
        } finally {
            exit();
        }
    }

    @Override
    public double getAsDouble(long... index) {
        enter();
        try {
            ensureOpen();
            return readAsDouble(byteOffset(index));
        } finally {
            exit();
        }
    }

    private double readAsDouble(int at) {
        return switch (dtype) {
            case BOOL -> elements.get(at) != 0 ? 1 : 0;
            case INT8 -> elements.get(at);
            case UINT8 -> elements.get(at) & 0xff;
            case INT16 -> elements.getShort(at);
            case INT32 -> elements.getInt(at);
            case INT64 -> elements.getLong(at);
            case FLOAT16 -> Float16.toFloat(elements.getShort(at));
            case BFLOAT16 -> BFloat16.toFloat(elements.getShort(at));
            case FLOAT32 -> elements.getFloat(at);
            case FLOAT64 -> elements.getDouble(at);
        };
    }

    @Override
    public void setBoolean(boolean value, long... index) {
        enter();
        try {
            elements.put(writableOffset(index, DType.BOOL), (byte) (value ? 1 : 0));
        } finally {
            exit();
        }
    }

    @Override
    public void setByte(byte value, long... index) {
        enter();
        try {
            elements.put(writableOffset(index, DType.INT8, DType.UINT8), value);
        } finally {
            exit();
        }
    }

    @Override
    public void setShort(short value, long... index) {
        enter();
        try {
            elements.putShort(writableOffset(index, DType.INT16), value);
        } finally {
            exit();
        }
    }

    @Override
    public void setInt(int value, long... index) {
        enter();
        try {
            elements.putInt(writableOffset(index, DType.INT32), value);
        } finally {
            exit();
        }
    }

    @Override
    public void setLong(long value, long... index) {
        enter();
        try {
            elements.putLong(writableOffset(index, DType.INT64), value);
        } finally {
            exit();
        }
    }

    @Override
    public void setFloat(float value, long... index) {
        enter();
        try {
            int at = writableOffset(index, DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16);
            switch (dtype) {
                case FLOAT16 -> elements.putShort(at, Float16.fromFloat(value));
                case BFLOAT16 -> elements.putShort(at, BFloat16.fromFloat(value));
                default -> elements.putFloat(at, value);
            }
        } finally {
            exit();
        }
    }

    @Override
    public void setDouble(double value, long... index) {
        enter();
        try {
            elements.putDouble(writableOffset(index, DType.FLOAT64), value);
        } finally {
            exit();
        }
    }

    // ---- bulk copies ----

    private int count(int destinationLength, DType... accepted) {
        ensureOpen();
        requireDType(accepted);
        long n = shape.elementCount();
        if (destinationLength < n) {
            throw new IndexOutOfBoundsException("destination has length " + destinationLength + " but the array has " + n
                    + " elements; pass an array of at least " + n);
        }
        return (int) n;
    }

    private ByteBuffer view() {
        return elements.duplicate().order(ByteOrder.nativeOrder());
    }

    @Override
    public void copyTo(boolean[] destination) {
        enter();
        try {
            int n = count(destination.length, DType.BOOL);
            for (int i = 0; i < n; i++) {
                destination[i] = elements.get(i) != 0;
            }
        } finally {
            exit();
        }
    }

    @Override
    public void copyTo(byte[] destination) {
        enter();
        try {
            int n = count(destination.length, DType.INT8, DType.UINT8);
            view().get(destination, 0, n);
        } finally {
            exit();
        }
    }

    @Override
    public void copyTo(short[] destination) {
        enter();
        try {
            int n = count(destination.length, DType.INT16);
            view().asShortBuffer().get(destination, 0, n);
        } finally {
            exit();
        }
    }

    @Override
    public void copyTo(int[] destination) {
        enter();
        try {
            int n = count(destination.length, DType.INT32);
            view().asIntBuffer().get(destination, 0, n);
        } finally {
            exit();
        }
    }

    @Override
    public void copyTo(long[] destination) {
        enter();
        try {
            int n = count(destination.length, DType.INT64);
            view().asLongBuffer().get(destination, 0, n);
        } finally {
            exit();
        }
    }

    @Override
    public void copyTo(float[] destination) {
        enter();
        try {
            int n = count(destination.length, DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16);
            if (dtype == DType.FLOAT32) {
                view().asFloatBuffer().get(destination, 0, n);
                return;
            }
            for (int i = 0; i < n; i++) {
                short bits = elements.getShort(i * 2);
                destination[i] = dtype == DType.FLOAT16 ? Float16.toFloat(bits) : BFloat16.toFloat(bits);
            }
        } finally {
            exit();
        }
    }

    @Override
    public void copyTo(double[] destination) {
        enter();
        try {
            int n = count(destination.length, DType.FLOAT64);
            view().asDoubleBuffer().get(destination, 0, n);
        } finally {
            exit();
        }
    }

    /** The element count, after the closed check and then the dtype check, in the order every accessor uses. */
    private int length(DType... accepted) {
        ensureOpen();
        requireDType(accepted);
        return (int) shape.elementCount();
    }

    @Override
    public boolean[] toBooleanArray() {
        enter();
        try {
            boolean[] out = new boolean[length(DType.BOOL)];
            copyTo(out);
            return out;
        } finally {
            exit();
        }
    }

    @Override
    public byte[] toByteArray() {
        enter();
        try {
            byte[] out = new byte[length(DType.INT8, DType.UINT8)];
            copyTo(out);
            return out;
        } finally {
            exit();
        }
    }

    @Override
    public short[] toShortArray() {
        enter();
        try {
            short[] out = new short[length(DType.INT16)];
            copyTo(out);
            return out;
        } finally {
            exit();
        }
    }

    @Override
    public int[] toIntArray() {
        enter();
        try {
            int[] out = new int[length(DType.INT32)];
            copyTo(out);
            return out;
        } finally {
            exit();
        }
    }

    @Override
    public long[] toLongArray() {
        enter();
        try {
            long[] out = new long[length(DType.INT64)];
            copyTo(out);
            return out;
        } finally {
            exit();
        }
    }

    @Override
    public float[] toFloatArray() {
        enter();
        try {
            float[] out = new float[length(DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16)];
            copyTo(out);
            return out;
        } finally {
            exit();
        }
    }

    @Override
    public double[] toDoubleArray() {
        enter();
        try {
            double[] out = new double[length(DType.FLOAT64)];
            copyTo(out);
            return out;
        } finally {
            exit();
        }
    }

    @Override
    public double[] convertToDoubleArray() {
        enter();
        try {
            double[] out = new double[length(DType.values())];
            for (int i = 0; i < out.length; i++) {
                out[i] = readAsDouble(i * dtype.byteWidth());
            }
            return out;
        } finally {
            exit();
        }
    }

    @Override
    public String formatValues() {
        enter();
        try {
            ensureOpen();
            StringBuilder text = new StringBuilder();
            formatAxis(text, 0, 0);
            return text.toString();
        } finally {
            exit();
        }
    }

    private void formatAxis(StringBuilder text, int axis, long linear) {
        if (axis == shape.rank()) {
            text.append(formatElement((int) (linear * dtype.byteWidth())));
            return;
        }
        text.append('[');
        for (long i = 0; i < shape.dim(axis); i++) {
            if (i > 0) {
                text.append(", ");
            }
            formatAxis(text, axis + 1, linear + i * strides[axis]);
        }
        text.append(']');
    }

    private String formatElement(int at) {
        return switch (dtype) {
            case BOOL -> elements.get(at) != 0 ? "true" : "false";
            case FLOAT16, BFLOAT16, FLOAT32 -> Float.toString((float) readAsDouble(at));
            case FLOAT64 -> Double.toString(readAsDouble(at));
            case INT64 -> Long.toString(elements.getLong(at));
            default -> Long.toString((long) readAsDouble(at));
        };
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Marks the array closed; its reference to the memory is released at once, or by the last access
     * still in flight, so that no read or write through this array ever touches released memory (which,
     * for foreign memory such as an Arrow buffer, may already be freed by its owner).
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && inFlight.get() == 0) {
            releaseOnce();
        }
    }

    private void enter() {
        inFlight.incrementAndGet();
        if (closed.get()) {
            exit();
            throw closedException();
        }
    }

    private void exit() {
        if (inFlight.decrementAndGet() == 0 && closed.get()) {
            releaseOnce();
        }
    }

    private void releaseOnce() {
        if (released.compareAndSet(false, true)) {
            storage.release();
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw closedException();
        }
    }

    private ClosedResourceException closedException() {
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
