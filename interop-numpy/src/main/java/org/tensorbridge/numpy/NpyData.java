package org.tensorbridge.numpy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;

/** Reads the data section of a {@code .npy} into a direct, native-order, row-major buffer. */
final class NpyData {
    private static final int CHUNK_SHIFT = 24;
    /** Bytes read per chunk: a multiple of every element width, so no element spans two chunks. */
    private static final int CHUNK_BYTES = 1 << CHUNK_SHIFT;

    private NpyData() {
    }

    static ByteBuffer read(InputStream in, NpyHeader header, DType dtype, ByteOrder order) throws IOException {
        long count = header.elementCount();
        long bytes = header.byteCount(dtype);
        if (bytes > Integer.MAX_VALUE) {
            throw new NpyFormatException("header field 'shape' asks for " + bytes + " bytes; arrays are read up to 2 GiB "
                    + "each. Split the array in NumPy");
        }
        ByteBuffer[] source = readChunks(in, bytes, order);
        long present = 0;
        for (ByteBuffer chunk : source) {
            present += chunk.capacity();
        }
        if (present < bytes) {
            throw new NpyFormatException("the data section is shorter than header field 'shape' "
                    + Arrays.toString(header.shape()) + " needs (" + bytes + " bytes of " + dtype.displayName()
                    + ", " + present + " present); the file is truncated or its shape lies");
        }
        ByteBuffer target = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
        Shape shape = Shape.of(header.shape());
        long[] cStrides = shape.contiguousStrides();
        int width = dtype.byteWidth();
        for (long i = 0; i < count; i++) {
            // Element i of the file: in Fortran order, the first axis varies fastest.
            long position = header.fortranOrder() ? rowMajorPosition(i, shape, cStrides) : i;
            long from = i * width;
            copyElement(source[(int) (from >>> CHUNK_SHIFT)], (int) (from & (CHUNK_BYTES - 1)), target,
                    (int) (position * width), width);
        }
        return target;
    }

    /**
     * Up to {@code bytes} bytes of the stream, in chunks of {@link #CHUNK_BYTES} (the last one shorter), fewer if
     * the stream ends first. Memory follows the data that is really there, not what a header claims, and no byte
     * is copied twice on the way.
     */
    private static ByteBuffer[] readChunks(InputStream in, long bytes, ByteOrder order) throws IOException {
        List<ByteBuffer> chunks = new ArrayList<>();
        for (long left = bytes; left > 0; ) {
            byte[] chunk = new byte[(int) Math.min(left, CHUNK_BYTES)];
            int read = in.readNBytes(chunk, 0, chunk.length);
            chunks.add(ByteBuffer.wrap(read == chunk.length ? chunk : Arrays.copyOf(chunk, read)).order(order));
            if (read < chunk.length) {
                break;
            }
            left -= read;
        }
        return chunks.toArray(new ByteBuffer[0]);
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
