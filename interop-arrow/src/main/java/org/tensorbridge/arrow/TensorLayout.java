package org.tensorbridge.arrow;

import java.util.Arrays;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.MessageHeader;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;

/**
 * The layout a {@code Tensor} message describes, checked against its body: the dtype, the shape, the
 * strides in bytes (row-major when the message has none), and where the data lies in the body. Every
 * element the strides reach lies inside the data.
 *
 * @param dtype the element type
 * @param shape the dimensions
 * @param strides the distance in bytes between neighbours along each dimension, each 0 or more
 * @param offset where the data starts in the body
 * @param length the data's length in bytes
 */
record TensorLayout(DType dtype, Shape shape, long[] strides, long offset, long length) {
    /**
     * The layout of {@code read}, which must be a {@code Tensor} message.
     *
     * @throws MalformedIpcException naming what does not fit
     */
    static TensorLayout of(IpcMessageFraming.Read read, int maxRank) throws MalformedIpcException {
        if (read.message().headerType() != MessageHeader.Tensor) {
            throw new MalformedIpcException("the message is a " + IpcMessageChecks.headerName(read.message()
                    .headerType()) + " message, not a Tensor message" + (read.message().headerType()
                    == MessageHeader.SparseTensor ? "; read it with SparseTensorMessage" : ""));
        }
        try {
            org.apache.arrow.flatbuf.Tensor tensor = (org.apache.arrow.flatbuf.Tensor) read.message().header(
                    new org.apache.arrow.flatbuf.Tensor());
            if (tensor == null) {
                throw new MalformedIpcException("the Tensor message has no header");
            }
            DType dtype = TensorMessageTypes.dtype(tensor.typeType(), tensor::type);
            Shape shape = shape(tensor, maxRank);
            long[] strides = strides(tensor, shape, dtype);
            Buffer data = tensor.data();
            if (data == null) {
                throw new MalformedIpcException("the Tensor message has no data buffer");
            }
            TensorLayout layout = new TensorLayout(dtype, shape, strides, data.offset(), data.length());
            layout.check(read.body().remaining());
            return layout;
        } catch (MalformedIpcException | org.tensorbridge.UnsupportedDTypeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedIpcException("the Tensor message's header cannot be read: " + e, e);
        }
    }

    private static Shape shape(org.apache.arrow.flatbuf.Tensor tensor, int maxRank) throws MalformedIpcException {
        int rank = tensor.shapeLength();
        if (rank < 0 || rank > maxRank) {
            throw new MalformedIpcException("the tensor has " + rank + " dimensions; at most " + maxRank + " are read");
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = tensor.shape(i).size();
        }
        try {
            return Shape.of(dims);
        } catch (IllegalArgumentException e) {
            throw new MalformedIpcException("the tensor's shape " + Arrays.toString(dims) + " is not a shape: "
                    + e.getMessage(), e);
        }
    }

    private static long[] strides(org.apache.arrow.flatbuf.Tensor tensor, Shape shape, DType dtype)
            throws MalformedIpcException {
        long[] strides = new long[shape.rank()];
        if (tensor.stridesLength() == 0) {
            long[] elements = shape.contiguousStrides();
            for (int i = 0; i < strides.length; i++) {
                strides[i] = elements[i] * dtype.byteWidth();
            }
            return strides;
        }
        if (tensor.stridesLength() != shape.rank()) {
            throw new MalformedIpcException("the tensor has " + tensor.stridesLength() + " strides for "
                    + shape.rank() + " dimensions");
        }
        for (int i = 0; i < strides.length; i++) {
            strides[i] = tensor.strides(i);
            if (strides[i] < 0 || strides[i] % dtype.byteWidth() != 0) {
                throw new MalformedIpcException("the tensor's stride " + i + " is " + strides[i] + " bytes; strides "
                        + "here are 0 or more whole " + dtype.byteWidth() + "-byte elements");
            }
        }
        return strides;
    }

    /** Checks that the data lies in a body of {@code bodyLength} bytes and holds every element the strides reach. */
    private void check(long bodyLength) throws MalformedIpcException {
        if (offset < 0 || length < 0 || offset > bodyLength || length > bodyLength - offset) {
            throw new MalformedIpcException("the tensor's data (offset " + offset + ", " + length + " bytes) lies "
                    + "outside the message body of " + bodyLength + " bytes");
        }
        if (shape.elementCount() == 0) {
            return;
        }
        long last = 0;
        for (int i = 0; i < strides.length; i++) {
            last = Math.addExact(last, Math.multiplyExact(shape.dim(i) - 1, strides[i]));
        }
        // Compared without adding: last may be within a width of Long.MAX_VALUE.
        if (last > length - dtype.byteWidth()) {
            throw new MalformedIpcException("the tensor " + dtype.displayName() + shape + " with strides "
                    + Arrays.toString(strides) + " reaches byte " + last + " + " + dtype.byteWidth()
                    + " but its data has " + length);
        }
        if (bytes() > Integer.MAX_VALUE) {
            throw new MalformedIpcException("the tensor " + dtype.displayName() + shape + " has " + bytes()
                    + " bytes; a tensor message is read up to 2 GiB");
        }
    }

    /** Bytes of the elements, row-major. */
    long bytes() {
        return shape.elementCount() * dtype.byteWidth();
    }

    /** True when the strides are row-major for every dimension longer than 1 (others may have any stride). */
    boolean isRowMajor() {
        long expected = dtype.byteWidth();
        for (int i = strides.length - 1; i >= 0; i--) {
            if (shape.dim(i) > 1 && strides[i] != expected) {
                return false;
            }
            expected *= Math.max(shape.dim(i), 1);
        }
        return true;
    }

    /** The strides in elements. */
    long[] elementStrides() {
        return Arrays.stream(strides).map(s -> s / dtype.byteWidth()).toArray();
    }
}
