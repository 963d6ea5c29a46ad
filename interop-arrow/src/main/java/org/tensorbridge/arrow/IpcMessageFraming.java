package org.tensorbridge.arrow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MetadataVersion;

/**
 * The encapsulated IPC message format that Arrow's {@code Tensor} and {@code SparseTensor} messages are
 * framed in, as Arrow C++ ({@code pyarrow.ipc.write_tensor}) writes it: the continuation marker
 * {@code 0xFFFFFFFF}, the metadata length, the {@code Message} flatbuffer padded so that the body starts
 * 64 bytes after a 64-byte boundary of the message start, then the body. Reading takes the pre-0.15
 * form without the marker too. Stateless and thread-safe.
 */
final class IpcMessageFraming {
    private static final int CONTINUATION = 0xFFFFFFFF;
    private static final int BODY_ALIGNMENT = 64;
    /** More metadata than any tensor message has; a longer claim is refused before it is read. */
    static final int MAX_METADATA = 1 << 24;
    private static final int CHUNK = 1 << 20;

    private IpcMessageFraming() {
    }

    /** A message: its metadata and its body (a view of the input, or a new buffer when read from a channel). */
    record Read(Message message, ByteBuffer body) {
    }

    /** Where each buffer of a body goes: each at an 8-byte boundary, as Arrow writes bodies. */
    static long[] offsets(long... lengths) {
        long[] offsets = new long[lengths.length + 1];
        for (int i = 0; i < lengths.length; i++) {
            offsets[i + 1] = align(offsets[i] + lengths[i], 8);
        }
        return offsets;
    }

    /**
     * Writes one message: {@code metadata} (a finished {@code Message} flatbuffer) and the body made of
     * {@code parts} at {@code offsets} (from {@link #offsets}). Returns the bytes written.
     */
    static long write(WritableByteChannel out, ByteBuffer metadata, List<ByteBuffer> parts, long[] offsets)
            throws IOException {
        int padded = (int) (align(8 + metadata.remaining(), BODY_ALIGNMENT) - 8);
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putInt(CONTINUATION).putInt(padded).put(metadata.duplicate());
        long written = writeFully(out, prefix.clear());
        for (int i = 0; i < parts.size(); i++) {
            written += writeFully(out, parts.get(i).duplicate());
            long padding = offsets[i + 1] - offsets[i] - parts.get(i).remaining();
            written += writeFully(out, ByteBuffer.allocate((int) padding));
        }
        return written;
    }

    /** Reads one message from {@code message} (its start at the buffer's position); the body is a view of it. */
    static Read read(ByteBuffer message) throws MalformedIpcException {
        ByteBuffer in = message.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int length = metadataLength(in.remaining() >= 4 ? in.getInt() : 0, in);
        if (length > in.remaining()) {
            throw new MalformedIpcException("the message claims " + length + " bytes of metadata but the buffer has "
                    + in.remaining() + " left; it is cut or not an Arrow IPC message");
        }
        Message header = message(in.slice().limit(length));
        in.position(in.position() + length);
        long bodyLength = header.bodyLength();
        if (bodyLength < 0 || bodyLength > in.remaining()) {
            throw new MalformedIpcException("the message's body of " + bodyLength + " bytes does not fit the "
                    + in.remaining() + " bytes after its metadata; it is cut or its body length is wrong");
        }
        return new Read(header, in.slice().limit((int) bodyLength).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Reads one message from {@code in}; the body is read into a new direct buffer. */
    static Read read(ReadableByteChannel in) throws IOException {
        ByteBuffer first = readFully(in, 8, "the message's length");
        int marker = first.getInt(0);
        ByteBuffer lengthBytes = marker == CONTINUATION ? first.position(4) : first.position(0);
        int length = metadataLength(marker, lengthBytes.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        // Without the marker the first 4 bytes were the length, and 4 bytes of metadata are already read.
        ByteBuffer metadata = ByteBuffer.allocate(length);
        if (marker != CONTINUATION) {
            metadata.put(first.position(4).limit(Math.min(8, 4 + length)));
        }
        metadata.put(readFully(in, metadata.remaining(), "the message's metadata"));
        Message header = message(metadata.flip());
        long bodyLength = header.bodyLength();
        if (bodyLength < 0 || bodyLength > Integer.MAX_VALUE) {
            throw new MalformedIpcException("the message's body length is " + bodyLength + "; a tensor message "
                    + "body is 0 to 2 GiB");
        }
        return new Read(header, readBody(in, (int) bodyLength));
    }

    /** The metadata length after the marker (or the first int itself, in the form without the marker). */
    private static int metadataLength(int first, ByteBuffer rest) throws MalformedIpcException {
        int length = first;
        if (first == CONTINUATION) {
            length = rest.remaining() >= 4 ? rest.getInt() : 0;
        }
        if (length <= 0 || length > MAX_METADATA) {
            throw new MalformedIpcException("the message claims " + Integer.toUnsignedString(length) + " bytes of "
                    + "metadata; it is not an Arrow IPC message, or not one of a tensor (1 to " + MAX_METADATA
                    + " bytes)");
        }
        return length;
    }

    private static Message message(ByteBuffer metadata) throws MalformedIpcException {
        try {
            Message message = Message.getRootAsMessage(metadata.order(ByteOrder.LITTLE_ENDIAN));
            short version = message.version();
            if (version != MetadataVersion.V4 && version != MetadataVersion.V5) {
                throw new MalformedIpcException("the message has metadata version " + version + "; Arrow IPC "
                        + "messages since 0.8 are V4 (" + MetadataVersion.V4 + ") or V5 (" + MetadataVersion.V5 + ")");
            }
            message.headerType();
            message.bodyLength();
            return message;
        } catch (RuntimeException e) {
            throw new MalformedIpcException("the message's metadata cannot be read: " + e, e);
        }
    }

    /** The body, allocated at once where the channel says that many bytes are left, else as they come. */
    private static ByteBuffer readBody(ReadableByteChannel in, int length) throws IOException {
        if (in instanceof SeekableByteChannel file && file.size() - file.position() < length) {
            throw new MalformedIpcException("the message's body of " + length + " bytes is longer than the "
                    + (file.size() - file.position()) + " bytes left; it is cut or its body length is wrong");
        }
        if (in instanceof SeekableByteChannel || length <= CHUNK) {
            ByteBuffer body = ByteBuffer.allocateDirect(length).order(ByteOrder.LITTLE_ENDIAN);
            body.put(readFully(in, length, "the message's body"));
            return body.flip();
        }
        // From a stream the claim is only a claim: memory follows the bytes really sent.
        List<ByteBuffer> chunks = new ArrayList<>();
        for (int left = length; left > 0; left -= CHUNK) {
            chunks.add(readFully(in, Math.min(left, CHUNK), "the message's body"));
        }
        ByteBuffer body = ByteBuffer.allocateDirect(length).order(ByteOrder.LITTLE_ENDIAN);
        chunks.forEach(body::put);
        return body.flip();
    }

    private static ByteBuffer readFully(ReadableByteChannel in, int length, String what) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        while (bytes.hasRemaining()) {
            if (in.read(bytes) < 0) {
                throw new MalformedIpcException(what + " is cut: " + bytes.position() + " of " + length + " bytes "
                        + "before the end of the input");
            }
        }
        return bytes.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long writeFully(WritableByteChannel out, ByteBuffer bytes) throws IOException {
        long written = 0;
        while (bytes.hasRemaining()) {
            written += out.write(bytes);
        }
        return written;
    }

    static long align(long value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
