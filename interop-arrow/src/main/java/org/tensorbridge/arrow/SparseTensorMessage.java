package org.tensorbridge.arrow;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.Int;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.SparseMatrixCompressedAxis;
import org.apache.arrow.flatbuf.SparseMatrixIndexCSX;
import org.apache.arrow.flatbuf.SparseTensor;
import org.apache.arrow.flatbuf.SparseTensorIndex;
import org.apache.arrow.flatbuf.SparseTensorIndexCOO;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CsrValue;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseValue;

/**
 * Arrow's {@code SparseTensor} IPC message, which Arrow C++ writes and reads ({@code ipc::WriteSparseTensor},
 * {@code ReadSparseTensor}) and Arrow Java has no reader or writer for: a sparse tensor as its index
 * (COO, or CSR/CSC for matrices) and its values, each a buffer of the body.
 *
 * <h2>Writing</h2>
 * {@link #writeCoo} writes {@code int64} coordinates {@code [nnz, rank]} (row-major) and the values in the
 * sparse value's order, with its canonical flag; {@link #writeCsr} writes a rank-2 value as CSR with
 * {@code int64} {@code indptr} and column indices. The arrays are taken from the sparse value as they
 * are (shared host memory) and copied into the channel, as IPC does.
 *
 * <h2>Reading</h2>
 * {@link #read(ByteBuffer, Backend)} and {@link #read(ReadableByteChannel, Backend)} take COO, CSR and
 * CSC (as COO, in the message's order), with indices of any Arrow integer width, and give a sparse tensor
 * of the backend; indices are widened to {@code int64} (a copy), values are made a tensor with
 * {@code Backend.fromBuffer} ({@code IF_NEEDED}: over the message's memory where the backend wraps it).
 * Every index is checked against the shape first: a malformed message is refused with
 * {@link MalformedIpcException}, whatever backend reads it. CSF is refused with
 * {@link ArrowLayoutException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class SparseTensorMessage {
    private SparseTensorMessage() {
    }

    /** {@code writeCoo(tensor.toSparseValue(IF_NEEDED), out)}, the value closed after. */
    public static long writeCoo(org.tensorbridge.SparseTensor tensor, WritableByteChannel out) throws IOException {
        Objects.requireNonNull(tensor, "tensor must not be null");
        try (SparseValue value = tensor.toSparseValue(CopyPolicy.IF_NEEDED, Access.READ_ONLY)) {
            return writeCoo(value, out);
        }
    }

    /**
     * Writes {@code value} as one COO {@code SparseTensor} message; returns the bytes written. The value
     * stays the caller's, the channel open.
     *
     * @throws org.tensorbridge.UnsupportedDTypeException for {@code bfloat16} values
     */
    public static long writeCoo(SparseValue value, WritableByteChannel out) throws IOException {
        Objects.requireNonNull(value, "value must not be null");
        Objects.requireNonNull(out, "out must not be null");
        HostArray indices = value.indices();
        HostArray values = value.values();
        int rank = value.denseShape().rank();
        long[] offsets = IpcMessageFraming.offsets(indices.byteSize(), values.byteSize());
        FlatBufferBuilder builder = new FlatBufferBuilder(256);
        int indexType = Int.createInt(builder, 64, true);
        int strides = SparseTensorIndexCOO.createIndicesStridesVector(builder, new long[] {rank * 8L, 8});
        SparseTensorIndexCOO.startSparseTensorIndexCOO(builder);
        SparseTensorIndexCOO.addIndicesType(builder, indexType);
        SparseTensorIndexCOO.addIndicesStrides(builder, strides);
        SparseTensorIndexCOO.addIndicesBuffer(builder, Buffer.createBuffer(builder, 0, indices.byteSize()));
        SparseTensorIndexCOO.addIsCanonical(builder, value.isCanonical());
        int index = SparseTensorIndexCOO.endSparseTensorIndexCOO(builder);
        return write(builder, value, SparseTensorIndex.SparseTensorIndexCOO, index, offsets, List.of(indices, values),
                out);
    }

    /** {@code writeCsr(tensor.toSparseValue(IF_NEEDED), out)}, the value closed after. */
    public static long writeCsr(org.tensorbridge.SparseTensor tensor, WritableByteChannel out) throws IOException {
        Objects.requireNonNull(tensor, "tensor must not be null");
        try (SparseValue value = tensor.toSparseValue(CopyPolicy.IF_NEEDED, Access.READ_ONLY)) {
            return writeCsr(value, out);
        }
    }

    /**
     * Writes a rank-2 {@code value} as one CSR {@code SparseTensor} message; returns the bytes written.
     *
     * @throws ShapeMismatchException if the value is not rank 2
     * @throws org.tensorbridge.UnsupportedDTypeException for {@code bfloat16} values
     */
    public static long writeCsr(SparseValue value, WritableByteChannel out) throws IOException {
        Objects.requireNonNull(value, "value must not be null");
        Objects.requireNonNull(out, "out must not be null");
        TensorMessageTypes.typeType(value.dtype());
        try (CsrValue csr = value.toCsr()) {
            long[] offsets = IpcMessageFraming.offsets(csr.indptr().byteSize(), csr.indices().byteSize(),
                    csr.values().byteSize());
            FlatBufferBuilder builder = new FlatBufferBuilder(256);
            int indptrType = Int.createInt(builder, 64, true);
            int indicesType = Int.createInt(builder, 64, true);
            SparseMatrixIndexCSX.startSparseMatrixIndexCSX(builder);
            SparseMatrixIndexCSX.addCompressedAxis(builder, SparseMatrixCompressedAxis.Row);
            SparseMatrixIndexCSX.addIndptrType(builder, indptrType);
            SparseMatrixIndexCSX.addIndptrBuffer(builder, Buffer.createBuffer(builder, offsets[0],
                    csr.indptr().byteSize()));
            SparseMatrixIndexCSX.addIndicesType(builder, indicesType);
            SparseMatrixIndexCSX.addIndicesBuffer(builder, Buffer.createBuffer(builder, offsets[1],
                    csr.indices().byteSize()));
            int index = SparseMatrixIndexCSX.endSparseMatrixIndexCSX(builder);
            return write(builder, value, SparseTensorIndex.SparseMatrixIndexCSX, index, offsets,
                    List.of(csr.indptr(), csr.indices(), csr.values()), out);
        }
    }

    /** The {@code SparseTensor} table and its message around {@code index}; the last part is the values. */
    private static long write(FlatBufferBuilder builder, SparseValue value, byte indexType, int index, long[] offsets,
            List<HostArray> parts, WritableByteChannel out) throws IOException {
        DType dtype = value.dtype();
        int type = TensorMessageTypes.type(builder, dtype);
        int shape = SparseTensor.createShapeVector(builder, TensorMessage.dims(builder, value.denseShape(), null));
        HostArray values = parts.get(parts.size() - 1);
        SparseTensor.startSparseTensor(builder);
        SparseTensor.addTypeType(builder, TensorMessageTypes.typeType(dtype));
        SparseTensor.addType(builder, type);
        SparseTensor.addShape(builder, shape);
        SparseTensor.addNonZeroLength(builder, value.nnz());
        SparseTensor.addSparseIndexType(builder, indexType);
        SparseTensor.addSparseIndex(builder, index);
        SparseTensor.addData(builder, Buffer.createBuffer(builder, offsets[parts.size() - 1], values.byteSize()));
        int tensor = SparseTensor.endSparseTensor(builder);
        builder.finish(TensorMessage.message(builder, MessageHeader.SparseTensor, tensor, offsets[parts.size()]));
        List<ByteBuffer> bodies = new ArrayList<>();
        for (HostArray part : parts) {
            bodies.add(part.asByteBuffer());
        }
        return IpcMessageFraming.write(out, builder.dataBuffer(), bodies, offsets);
    }

    /**
     * The sparse tensor of the {@code SparseTensor} message at {@code message}'s position (position and
     * limit unchanged); the values may stay over the buffer's memory, which must then stay unchanged.
     *
     * @throws MalformedIpcException if the bytes are not a well-formed sparse tensor message
     * @throws ArrowLayoutException for a CSF index
     */
    public static org.tensorbridge.SparseTensor read(ByteBuffer message, Backend backend)
            throws MalformedIpcException {
        Objects.requireNonNull(message, "message must not be null");
        Objects.requireNonNull(backend, "backend must not be null");
        return SparseTensorReading.sparseTensor(IpcMessageFraming.read(message), backend);
    }

    /**
     * The sparse tensor of the next {@code SparseTensor} message of {@code in}, read into new memory.
     *
     * @throws MalformedIpcException if the bytes are not a well-formed sparse tensor message, or are cut
     * @throws ArrowLayoutException for a CSF index
     */
    public static org.tensorbridge.SparseTensor read(ReadableByteChannel in, Backend backend) throws IOException {
        Objects.requireNonNull(in, "in must not be null");
        Objects.requireNonNull(backend, "backend must not be null");
        return SparseTensorReading.sparseTensor(IpcMessageFraming.read(in), backend);
    }
}
