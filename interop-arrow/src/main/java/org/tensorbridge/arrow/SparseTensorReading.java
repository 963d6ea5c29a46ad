package org.tensorbridge.arrow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.Int;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.SparseMatrixCompressedAxis;
import org.apache.arrow.flatbuf.SparseMatrixIndexCSX;
import org.apache.arrow.flatbuf.SparseTensor;
import org.apache.arrow.flatbuf.SparseTensorIndex;
import org.apache.arrow.flatbuf.SparseTensorIndexCOO;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;

/**
 * Reads a {@code SparseTensor} message ({@link SparseTensorMessage}): the header checked against the body,
 * every index checked against the shape, then a sparse tensor of the backend. Stateless.
 */
final class SparseTensorReading {
    private static final int MAX_RANK = 64;

    private SparseTensorReading() {
    }

    static org.tensorbridge.SparseTensor sparseTensor(IpcMessageFraming.Read read, Backend backend)
            throws MalformedIpcException {
        if (read.message().headerType() != MessageHeader.SparseTensor) {
            throw new MalformedIpcException("the message is a " + IpcMessageChecks.headerName(read.message()
                    .headerType()) + " message, not a SparseTensor message" + (read.message().headerType()
                    == MessageHeader.Tensor ? "; read it with TensorMessage" : ""));
        }
        try {
            SparseTensor header = (SparseTensor) read.message().header(new SparseTensor());
            if (header == null) {
                throw new MalformedIpcException("the SparseTensor message has no header");
            }
            DType dtype = TensorMessageTypes.dtype(header.typeType(), header::type);
            Shape shape = shape(header);
            long nnz = header.nonZeroLength();
            ByteBuffer body = read.body();
            ByteBuffer values = slice(body, header.data(), "data", nnz, dtype.byteWidth());
            return switch (header.sparseIndexType()) {
                case SparseTensorIndex.SparseTensorIndexCOO -> coo(header, shape, nnz, body, values, dtype, backend);
                case SparseTensorIndex.SparseMatrixIndexCSX -> csx(header, shape, nnz, body, values, dtype, backend);
                case SparseTensorIndex.SparseTensorIndexCSF -> throw new ArrowLayoutException("the message holds a "
                        + "CSF sparse tensor, which is not read; write it as COO (in pyarrow: SparseCOOTensor."
                        + "from_dense_numpy(csf.to_numpy()))");
                default -> throw new MalformedIpcException("the message's sparse index type is "
                        + header.sparseIndexType());
            };
        } catch (RuntimeException e) {
            if (e instanceof org.tensorbridge.TensorBridgeException) {
                throw e; // a documented refusal, with its code
            }
            // a flatbuffer that lies (a negative vector length, an offset past its end) fails in its accessors
            throw new MalformedIpcException("the SparseTensor message's header cannot be read: " + e, e);
        }
    }

    private static Shape shape(SparseTensor header) throws MalformedIpcException {
        if (header.shapeLength() < 0 || header.shapeLength() > MAX_RANK) {
            throw new MalformedIpcException("the sparse tensor has " + header.shapeLength() + " dimensions; at most "
                    + MAX_RANK + " are read");
        }
        long[] dims = new long[header.shapeLength()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = header.shape(i).size();
            if (dims[i] < 0) {
                throw new MalformedIpcException("the sparse tensor's dimension " + i + " is " + dims[i]);
            }
        }
        try {
            return Shape.of(dims);
        } catch (IllegalArgumentException e) {
            throw new MalformedIpcException("the sparse tensor's shape " + Arrays.toString(dims) + " is not a shape: "
                    + e.getMessage(), e);
        }
    }

    private static org.tensorbridge.SparseTensor coo(SparseTensor header, Shape shape, long nnz, ByteBuffer body,
            ByteBuffer values, DType dtype, Backend backend) throws MalformedIpcException {
        SparseTensorIndexCOO index = (SparseTensorIndexCOO) header.sparseIndex(new SparseTensorIndexCOO());
        int rank = shape.rank();
        Int type = index.indicesType();
        int width = width(type, "indices");
        long[] strides = {rank * (long) width, width};
        if (index.indicesStridesLength() != 0) {
            if (index.indicesStridesLength() != 2) {
                throw new MalformedIpcException("the COO indices have " + index.indicesStridesLength() + " strides; "
                        + "they are a matrix [nnz, rank] with 2");
            }
            strides = new long[] {index.indicesStrides(0), index.indicesStrides(1)};
        }
        long[] indices = integers(body, index.indicesBuffer(), "indices", nnz, rank, strides, type);
        // Everything is read from the header before the backend holds memory that a failure would leave open.
        boolean claimsCanonical = index.isCanonical();
        for (long i = 0; i < nnz; i++) {
            for (int axis = 0; axis < rank; axis++) {
                checkIndex("COO index [" + i + ", " + axis + "]", indices[(int) (i * rank + axis)], shape.dim(axis));
            }
        }
        org.tensorbridge.SparseTensor sparse = build(backend, indices, nnz, rank, values, dtype, shape);
        if (claimsCanonical && !sparse.isCanonical()) {
            sparse.close();
            throw new MalformedIpcException("the COO index says it is canonical but its indices are not row-major "
                    + "sorted without duplicates");
        }
        return sparse;
    }

    private static org.tensorbridge.SparseTensor csx(SparseTensor header, Shape shape, long nnz, ByteBuffer body,
            ByteBuffer values, DType dtype, Backend backend) throws MalformedIpcException {
        if (shape.rank() != 2) {
            throw new MalformedIpcException("the CSR/CSC index is for matrices but the shape is " + shape);
        }
        SparseMatrixIndexCSX index = (SparseMatrixIndexCSX) header.sparseIndex(new SparseMatrixIndexCSX());
        boolean rows = index.compressedAxis() == SparseMatrixCompressedAxis.Row;
        if (!rows && index.compressedAxis() != SparseMatrixCompressedAxis.Column) {
            throw new MalformedIpcException("the CSX index compresses axis " + index.compressedAxis());
        }
        long outer = shape.dim(rows ? 0 : 1);
        long inner = shape.dim(rows ? 1 : 0);
        long[] indptr = integers(body, index.indptrBuffer(), "indptr", outer + 1, 1, null, index.indptrType());
        long[] indices = integers(body, index.indicesBuffer(), "indices", nnz, 1, null, index.indicesType());
        if (indptr[0] != 0 || indptr[(int) outer] != nnz) {
            throw new MalformedIpcException("indptr runs from " + indptr[0] + " to " + indptr[(int) outer] + "; it "
                    + "runs from 0 to the " + nnz + " stored elements");
        }
        long[] coo = new long[(int) nnz * 2];
        for (int line = 0; line < outer; line++) {
            if (indptr[line + 1] < indptr[line]) {
                throw new MalformedIpcException("indptr decreases from " + indptr[line] + " to " + indptr[line + 1]
                        + " at entry " + (line + 1));
            }
            for (long k = indptr[line]; k < indptr[line + 1]; k++) {
                checkIndex("index " + k, indices[(int) k], inner);
                coo[(int) (2 * k)] = rows ? line : indices[(int) k];
                coo[(int) (2 * k + 1)] = rows ? indices[(int) k] : line;
            }
        }
        return build(backend, coo, nnz, 2, values, dtype, shape);
    }

    private static org.tensorbridge.SparseTensor build(Backend backend, long[] indices, long nnz, int rank,
            ByteBuffer values, DType dtype, Shape shape) {
        try (Tensor index = backend.constant(indices, nnz, rank);
                Tensor data = backend.fromBuffer(values.order(ByteOrder.nativeOrder()), dtype, Shape.of(nnz),
                        CopyPolicy.IF_NEEDED)) {
            return backend.sparseCoo(index, data, shape);
        }
    }

    private static void checkIndex(String what, long value, long size) throws MalformedIpcException {
        if (value < 0 || value >= size) {
            throw new MalformedIpcException("the sparse tensor's " + what + " is " + value + ", outside [0, " + size
                    + ")");
        }
    }

    private static int width(Int type, String name) throws MalformedIpcException {
        if (type == null || !Arrays.asList(8, 16, 32, 64).contains(type.bitWidth())) {
            throw new MalformedIpcException("the " + name + " have no integer type of 8, 16, 32 or 64 bits");
        }
        return type.bitWidth() / 8;
    }

    /** The bytes of {@code count} elements of {@code width} at {@code buffer}, checked to lie in the body. */
    private static ByteBuffer slice(ByteBuffer body, Buffer buffer, String name, long count, int width)
            throws MalformedIpcException {
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw new MalformedIpcException("the sparse tensor claims " + count + " " + name + " elements");
        }
        long offset = buffer == null ? -1 : buffer.offset();
        long length = buffer == null ? -1 : buffer.length();
        if (offset < 0 || length < count * width || offset > body.remaining() || length > body.remaining() - offset) {
            throw new MalformedIpcException("the " + name + " buffer (offset " + offset + ", " + length + " bytes) "
                    + "does not hold " + count + " elements of " + width + " bytes inside the body of "
                    + body.remaining() + " bytes");
        }
        return body.slice((int) offset, (int) (count * width)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A [count, columns] integer matrix at the given byte strides (row-major when null), widened to long. */
    private static long[] integers(ByteBuffer body, Buffer buffer, String name, long count, int columns,
            long[] strides, Int type) throws MalformedIpcException {
        int width = width(type, name);
        long[] byteStrides = strides == null ? new long[] {(long) columns * width, width} : strides;
        long elements = Math.multiplyExact(count, columns);
        if (byteStrides[0] < 0 || byteStrides[1] < 0) {
            throw new MalformedIpcException("the " + name + " have negative strides " + Arrays.toString(byteStrides));
        }
        long span;
        try {
            span = elements == 0 ? 0 : Math.addExact(Math.addExact(Math.multiplyExact(count - 1, byteStrides[0]),
                    Math.multiplyExact(columns - 1L, byteStrides[1])), width);
        } catch (ArithmeticException e) {
            throw new MalformedIpcException("the " + name + " with strides " + Arrays.toString(byteStrides) + " reach "
                    + "past 2^63 bytes; the message is corrupt");
        }
        ByteBuffer bytes = slice(body, buffer, name, span, 1);
        long[] out = new long[(int) elements];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < columns; j++) {
                int at = (int) (i * byteStrides[0] + j * byteStrides[1]);
                long value = switch (width) {
                    case 1 -> type.isSigned() ? bytes.get(at) : Byte.toUnsignedLong(bytes.get(at));
                    case 2 -> type.isSigned() ? bytes.getShort(at) : Short.toUnsignedLong(bytes.getShort(at));
                    case 4 -> type.isSigned() ? bytes.getInt(at) : Integer.toUnsignedLong(bytes.getInt(at));
                    default -> bytes.getLong(at);
                };
                if (width == 8 && !type.isSigned() && value < 0) {
                    throw new MalformedIpcException("the " + name + " hold " + Long.toUnsignedString(value)
                            + ", past any dimension");
                }
                out[i * columns + j] = value;
            }
        }
        return out;
    }
}
