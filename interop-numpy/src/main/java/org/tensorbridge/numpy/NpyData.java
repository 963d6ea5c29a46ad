package org.tensorbridge.numpy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;

/** Reads the data section of a {@code .npy} into a direct, native-order, row-major buffer. */
final class NpyData {
    /** The largest Java array the JVM allocates, a little under {@link Integer#MAX_VALUE}. */
    private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;
    /** The first read's size: the array then doubles as the data keeps coming. */
    private static final int FIRST_READ_BYTES = 1 << 20;

    private NpyData() {
    }

    static ByteBuffer read(InputStream in, NpyHeader header, DType dtype, ByteOrder order) throws IOException {
        long count = header.elementCount();
        long bytes = header.byteCount(dtype);
        if (bytes > MAX_ARRAY_BYTES) {
            throw new NpyFormatException("header field 'shape' asks for " + bytes + " bytes; arrays are read up to 2 GiB "
                    + "each. Split the array in NumPy");
        }
        byte[] raw = readData(in, (int) bytes);
        if (raw.length < bytes) {
            throw new NpyFormatException("the data section is shorter than header field 'shape' "
                    + Arrays.toString(header.shape()) + " needs (" + bytes + " bytes of " + dtype.displayName()
                    + ", " + raw.length + " present); the file is truncated or its shape lies");
        }
        ByteBuffer source = ByteBuffer.wrap(raw).order(order);
        ByteBuffer target = ByteBuffer.allocateDirect(raw.length).order(ByteOrder.nativeOrder());
        Shape shape = Shape.of(header.shape());
        long[] cStrides = shape.contiguousStrides();
        int width = dtype.byteWidth();
        for (long i = 0; i < count; i++) {
            // Element i of the file: in Fortran order, the first axis varies fastest.
            long position = header.fortranOrder() ? rowMajorPosition(i, shape, cStrides) : i;
            copyElement(source, (int) (i * width), target, (int) (position * width), width);
        }
        return target;
    }

    /**
     * Up to {@code bytes} bytes of the stream, fewer if it ends first. The array grows with what was read (at
     * most doubling), so a header that lies about its shape costs memory in proportion to the data that is
     * really there, not to what the header claims.
     */
    private static byte[] readData(InputStream in, int bytes) throws IOException {
        byte[] raw = new byte[Math.min(bytes, FIRST_READ_BYTES)];
        int filled = 0;
        while (true) {
            int read = in.readNBytes(raw, filled, raw.length - filled);
            filled += read;
            if (filled < raw.length || raw.length == bytes) {
                return filled == raw.length ? raw : Arrays.copyOf(raw, filled);
            }
            raw = Arrays.copyOf(raw, (int) Math.min(bytes, 2L * raw.length));
        }
    }

    private static long rowMajorPosition(long columnMajorIndex, Shape shape, long[] cStrides) {
        long rest = columnMajorIndex;
        long position = 0;
        for (int axis = 0; axis < shape.rank(); axis++) {
            long size = shape.dim(axis);
            position += (rest % size) * cStrides[axis];
            rest /= size;
        }
        return position;
    }

    private static void copyElement(ByteBuffer source, int from, ByteBuffer target, int to, int width) {
        switch (width) {
            case 1 -> target.put(to, source.get(from));
            case 2 -> target.putShort(to, source.getShort(from));
            case 4 -> target.putInt(to, source.getInt(from));
            default -> target.putLong(to, source.getLong(from));
        }
    }
}
