package org.tensorbridge.arrow;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.MetadataVersion;
import org.apache.arrow.flatbuf.TensorDim;
import org.apache.arrow.memory.util.MemoryUtil;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * Arrow's {@code Tensor} IPC message, which {@code pyarrow.ipc.write_tensor} writes and
 * {@code pyarrow.ipc.read_tensor} reads, and which Arrow Java has no reader or writer for: one dense
 * tensor (value type, shape with optional dimension names, strides in bytes) and its data as the body.
 *
 * <h2>Writing</h2>
 * The tensor's elements are written row-major, with their row-major strides, from a host view of the
 * tensor ({@code toHost(IF_NEEDED)}: shared for host memory, one reported copy for device memory);
 * writing them into the channel is the copy IPC makes. {@code bool} is written as {@code uint8} (Arrow's
 * {@code Bool} is one bit per element), as pyarrow writes a NumPy bool array; {@code bfloat16} has no
 * Arrow type and is refused.
 *
 * <h2>Reading</h2>
 * {@link #read(ByteBuffer, Backend, CopyPolicy)} reads a message that is already in memory, such as a
 * mapped file: when the data is row-major, and (in a direct buffer) aligned to its element width, the
 * tensor is made over the buffer's memory without a copy on a backend that wraps host buffers, as
 * {@code read_tensor} over a memory map is; strided data (pyarrow writes a transposed or Fortran-order
 * array as it is, with its strides) is copied row-major, which {@code NEVER} refuses.
 * {@link #read(ReadableByteChannel, Backend)} reads the message from a stream into new memory (that read
 * is the copy) and the tensor holds it. Dimension names are not kept: tensors have none. A message that
 * is not a well-formed tensor message is refused with {@link MalformedIpcException}, values without a
 * dtype with {@link org.tensorbridge.UnsupportedDTypeException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class TensorMessage {
    /** More dimensions than any tensor has; a longer shape is refused as malformed. */
    private static final int MAX_RANK = 64;

    private TensorMessage() {
    }

    /** {@code write(tensor, null, out)}: no dimension names. */
    public static long write(Tensor tensor, WritableByteChannel out) throws IOException {
        return write(tensor, null, out);
    }

    /**
     * Writes {@code tensor} as one {@code Tensor} message to {@code out}, with {@code dimNames} (one per
     * dimension) if not null; returns the bytes written. The channel stays open.
     *
     * @throws org.tensorbridge.UnsupportedDTypeException for {@code bfloat16}
     * @throws ArrowLayoutException if {@code dimNames} does not have one name per dimension
     */
    public static long write(Tensor tensor, List<String> dimNames, WritableByteChannel out) throws IOException {
        Objects.requireNonNull(tensor, "tensor must not be null");
        TensorMessageTypes.typeType(tensor.dtype());
        try (HostArray host = tensor.toHost(CopyPolicy.IF_NEEDED, Access.READ_ONLY)) {
            return write(host, dimNames, out);
        }
    }

    /** {@link #write(Tensor, List, WritableByteChannel)} for a host array, which stays the caller's. */
    public static long write(HostArray array, List<String> dimNames, WritableByteChannel out) throws IOException {
        Objects.requireNonNull(array, "array must not be null");
        Objects.requireNonNull(out, "out must not be null");
        Shape shape = array.shape();
        if (dimNames != null && dimNames.size() != shape.rank()) {
            throw new ArrowLayoutException("dimNames has " + dimNames.size() + " names but shape " + shape + " has "
                    + shape.rank() + " dimensions; give one name per dimension, or null");
        }
        DType dtype = array.dtype();
        FlatBufferBuilder builder = new FlatBufferBuilder(256);
        int type = TensorMessageTypes.type(builder, dtype);
        int shapeVector = org.apache.arrow.flatbuf.Tensor.createShapeVector(builder, dims(builder, shape, dimNames));
        long[] strides = shape.contiguousStrides();
        for (int i = 0; i < strides.length; i++) {
            strides[i] *= dtype.byteWidth();
        }
        int strideVector = org.apache.arrow.flatbuf.Tensor.createStridesVector(builder, strides);
        long bytes = array.byteSize();
        org.apache.arrow.flatbuf.Tensor.startTensor(builder);
        org.apache.arrow.flatbuf.Tensor.addTypeType(builder, TensorMessageTypes.typeType(dtype));
        org.apache.arrow.flatbuf.Tensor.addType(builder, type);
        org.apache.arrow.flatbuf.Tensor.addShape(builder, shapeVector);
        org.apache.arrow.flatbuf.Tensor.addStrides(builder, strideVector);
        org.apache.arrow.flatbuf.Tensor.addData(builder, Buffer.createBuffer(builder, 0, bytes));
        int tensor = org.apache.arrow.flatbuf.Tensor.endTensor(builder);
        builder.finish(message(builder, MessageHeader.Tensor, tensor, bytes));
        return IpcMessageFraming.write(out, builder.dataBuffer(), List.of(array.asByteBuffer()),
                new long[] {0, bytes});
    }

    /** The {@code Message} table around a tensor header, in metadata version V5. */
    static int message(FlatBufferBuilder builder, byte headerType, int header, long bodyLength) {
        Message.startMessage(builder);
        Message.addVersion(builder, MetadataVersion.V5);
        Message.addHeaderType(builder, headerType);
        Message.addHeader(builder, header);
        Message.addBodyLength(builder, bodyLength);
        return Message.endMessage(builder);
    }

    /** The shape's {@code TensorDim}s, with names if given. */
    static int[] dims(FlatBufferBuilder builder, Shape shape, List<String> names) {
        int[] dims = new int[shape.rank()];
        for (int i = 0; i < dims.length; i++) {
            int name = names == null || names.get(i) == null ? 0 : builder.createString(names.get(i));
            dims[i] = TensorDim.createTensorDim(builder, shape.dim(i), name);
        }
        return dims;
    }

    /**
     * The tensor of the {@code Tensor} message at {@code message}'s position (its position and limit are
     * not changed), made with {@link Backend#fromBuffer(ByteBuffer, DType, Shape, CopyPolicy)}: over the
     * buffer's memory where the data is row-major and aligned (see the class comment), a row-major copy
     * otherwise. The buffer must stay unchanged while the tensor is open.
     *
     * @throws MalformedIpcException if the bytes are not a well-formed tensor message
     * @throws CopyRequiredException under {@code NEVER} when the data is strided or unaligned, or the
     *     backend cannot wrap the buffer
     */
    public static Tensor read(ByteBuffer message, Backend backend, CopyPolicy policy) throws MalformedIpcException {
        Objects.requireNonNull(message, "message must not be null");
        Objects.requireNonNull(backend, "backend must not be null");
        Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
        return tensor(IpcMessageFraming.read(message), backend, policy);
    }

    /**
     * The tensor of the next {@code Tensor} message of {@code in}, read into new memory that the tensor
     * holds (row-major: strided data is copied once more). The channel stays open, after the message.
     *
     * @throws MalformedIpcException if the bytes are not a well-formed tensor message, or are cut
     */
    public static Tensor read(ReadableByteChannel in, Backend backend) throws IOException {
        Objects.requireNonNull(in, "in must not be null");
        Objects.requireNonNull(backend, "backend must not be null");
        return tensor(IpcMessageFraming.read(in), backend, CopyPolicy.IF_NEEDED);
    }

    private static Tensor tensor(IpcMessageFraming.Read read, Backend backend, CopyPolicy policy)
            throws MalformedIpcException {
        TensorLayout layout = TensorLayout.of(read, MAX_RANK);
        ByteBuffer data = read.body().slice((int) layout.offset(), (int) layout.length());
        boolean aligned = !data.isDirect() || MemoryUtil.getByteBufferAddress(data) % layout.dtype().byteWidth() == 0;
        if (layout.isRowMajor() && aligned) {
            ByteBuffer elements = data.slice(0, (int) layout.bytes()).order(ByteOrder.nativeOrder());
            return backend.fromBuffer(elements, layout.dtype(), layout.shape(), policy);
        }
        if (policy == CopyPolicy.NEVER) {
            throw new CopyRequiredException("the tensor message's data is " + (aligned ? "strided " + java.util.Arrays
                    .toString(layout.strides()) + " (not row-major)" : "not aligned to its " + layout.dtype()
                    .byteWidth() + "-byte elements") + ", so it cannot be used in place; use CopyPolicy.IF_NEEDED to "
                    + "copy it row-major");
        }
        return backend.fromBuffer(StridedCopy.gathered(data, layout.dtype(), layout.shape(), layout.elementStrides()),
                layout.dtype(), layout.shape(), CopyPolicy.IF_NEEDED);
    }
}
