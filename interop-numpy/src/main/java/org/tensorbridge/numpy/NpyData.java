package org.tensorbridge.numpy;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;

/** Reads the data section of a {@code .npy} into a direct, native-order, row-major buffer. */
final class NpyData {
    private NpyData() {
    }

    static ByteBuffer read(InputStream in, NpyHeader header, DType dtype, ByteOrder order) throws IOException {
        long count = header.elementCount();
        long bytes = count * dtype.byteWidth();
        if (bytes > Integer.MAX_VALUE) {
            throw new NpyFormatException("header field 'shape' asks for " + bytes + " bytes; arrays are read up to 2 GiB "
                    + "each. Split the array in NumPy");
        }
        byte[] raw = new byte[(int) bytes];
        try {
            new DataInputStream(in).readFully(raw);
        } catch (EOFException e) {
            throw new NpyFormatException("the data section is shorter than header field 'shape' "
                    + java.util.Arrays.toString(header.shape()) + " needs (" + bytes + " bytes of " + dtype.displayName()
                    + "); the file is truncated or its shape lies");
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
