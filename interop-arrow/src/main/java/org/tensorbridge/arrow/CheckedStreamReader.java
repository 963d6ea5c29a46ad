package org.tensorbridge.arrow;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.Map;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageChannelReader;
import org.apache.arrow.vector.ipc.message.MessageResult;

/**
 * Arrow's stream reader with {@link IpcMessageChecks} around it. Before Arrow reads a message, its
 * metadata is looked at ahead in the stream: the bytes its length claims must be there (so a lying
 * length costs memory in proportion to the bytes really sent, not to the claim), and a batch message's
 * buffers must lie inside the body it declares (so Arrow neither slices out of bounds nor leaks the
 * body). Batches and dictionaries are loaded, decompressed and validated by {@link CheckedBatchLoader},
 * and Arrow's runtime errors become {@link MalformedIpcException}. Not thread-safe, as Arrow's readers
 * are not.
 */
final class CheckedStreamReader extends ArrowStreamReader {
    private final CheckedMessages messages;
    private final CheckedBatchLoader loader = new CheckedBatchLoader(IpcCodecs.INSTANCE);

    CheckedStreamReader(InputStream in, BufferAllocator allocator) {
        this(new CheckedMessages(new BufferedInputStream(in), allocator), allocator);
    }

    private CheckedStreamReader(CheckedMessages messages, BufferAllocator allocator) {
        super(messages, allocator, IpcCodecs.INSTANCE);
        this.messages = messages;
    }

    @Override
    public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
        return IpcMessageChecks.checkedRoot("reading the schema", super::getVectorSchemaRoot);
    }

    /** Loads the batch through {@link CheckedBatchLoader} instead of Arrow's {@code VectorLoader}. */
    @Override
    protected void loadRecordBatch(ArrowRecordBatch batch) {
        VectorSchemaRoot root;
        try {
            root = super.getVectorSchemaRoot();
        } catch (IOException e) {
            batch.close();
            throw new UncheckedIOException(e);
        }
        loader.loadOrRefuse(root, batch, "the record batch of message " + (messages.count - 1));
    }

    /** Loads the dictionary batch through {@link CheckedBatchLoader}. */
    @Override
    protected void loadDictionary(ArrowDictionaryBatch batch) {
        loader.loadDictionaryOrRefuse(dictionaries, batch, allocator, "the dictionary batch of message "
                + (messages.count - 1));
    }

    @Override
    public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
        return IpcMessageChecks.translated("reading the schema", super::getDictionaryVectors);
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        return IpcMessageChecks.translated("loading message " + messages.count, () -> {
            getVectorSchemaRoot();
            return super.loadNextBatch();
        });
    }

    /** Arrow's message reader, with each message's metadata looked at and checked before Arrow reads it. */
    private static final class CheckedMessages extends MessageChannelReader {
        private static final int CONTINUATION = 0xFFFFFFFF;
        private final BufferedInputStream stream;
        private int count;

        CheckedMessages(BufferedInputStream stream, BufferAllocator allocator) {
            super(new ReadChannel(Channels.newChannel(stream)), allocator);
            this.stream = stream;
        }

        @Override
        public MessageResult readNext() throws IOException {
            int index = count++;
            checkAhead("message " + index, index == 0);
            return super.readNext();
        }

        /** Reads the next message's prefix and metadata ahead, checks them, and rewinds. */
        private void checkAhead(String where, boolean first) throws IOException {
            stream.mark(8);
            byte[] prefix = stream.readNBytes(8);
            stream.reset();
            if (prefix.length < 4) {
                return; // the end of the stream, or a cut Arrow reports itself
            }
            ByteBuffer ints = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
            int prefixLength = 4;
            int length = ints.getInt(0);
            if (length == CONTINUATION) {
                if (prefix.length < 8) {
                    return;
                }
                prefixLength = 8;
                length = ints.getInt(4);
            }
            if (length == 0) {
                return; // the end-of-stream marker
            }
            if (length < 0) {
                throw new MalformedIpcException(where + " claims a metadata length of " + length
                        + " bytes; it must be positive");
            }
            stream.mark(prefixLength + length);
            byte[] metadata;
            try {
                stream.skipNBytes(prefixLength);
                metadata = readUpTo(length);
            } finally {
                stream.reset();
            }
            if (metadata.length < length) {
                throw new MalformedIpcException(where + " claims a metadata length of " + length + " bytes but the "
                        + "stream ends after " + metadata.length + "; the stream is truncated or the length is wrong");
            }
            Message message;
            try {
                message = Message.getRootAsMessage(ByteBuffer.wrap(metadata));
            } catch (RuntimeException e) {
                throw new MalformedIpcException(where + " has metadata that cannot be read: " + e, e);
            }
            // Arrow reads a message's body before it looks at the header type, and leaks the body when
            // the type is not the one it expects: refuse such a message before its body is read.
            IpcMessageChecks.checkHeaderType(message, first, where);
            if (first) {
                try {
                    IpcMessageChecks.checkSchemaNesting((org.apache.arrow.flatbuf.Schema) message.header(
                            new org.apache.arrow.flatbuf.Schema()), where);
                } catch (ClassCastException e) {
                    throw new MalformedIpcException(where + " has a schema header that cannot be read", e);
                }
            }
            IpcMessageChecks.checkBatchMessage(message, message.bodyLength(), where);
        }

        /** Up to {@code length} bytes, read in chunks, so that memory follows the bytes really there. */
        private byte[] readUpTo(int length) throws IOException {
            java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream(Math.min(length, 1 << 16));
            byte[] chunk = new byte[Math.min(length, 1 << 16)];
            int left = length;
            while (left > 0) {
                int n = stream.read(chunk, 0, Math.min(left, chunk.length));
                if (n < 0) {
                    break;
                }
                read.write(chunk, 0, n);
                left -= n;
            }
            return read.toByteArray();
        }
    }
}
