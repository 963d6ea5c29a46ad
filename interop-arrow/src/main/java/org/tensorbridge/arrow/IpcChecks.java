package org.tensorbridge.arrow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.Block;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.DictionaryBatch;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ZeroVector;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.validate.ValidateUtil;
import org.apache.arrow.vector.validate.ValidateVectorBufferVisitor;

/**
 * The checks {@link TensorIpc}'s readers make on outside bytes before and after Arrow's reader sees
 * them: that a record batch's buffers lie inside its body and its lengths fit (Arrow would slice out
 * of bounds and leak the body otherwise), that a file's block (a record batch's or a dictionary's)
 * lies inside the file, that a loaded
 * batch's buffers are long enough for its row count; and the translation of any other runtime error
 * of Arrow's reader into {@link MalformedIpcException}. Stateless.
 */
final class IpcChecks {
    private IpcChecks() {
    }

    /** A reading step that may fail with an I/O error. */
    interface IoCall<T> {
        T call() throws IOException;
    }

    /** The reader's root from {@code root}, translated as {@link #translated} does, then checked ({@link #checkSchema}). */
    static VectorSchemaRoot checkedRoot(String step, IoCall<VectorSchemaRoot> root) throws IOException {
        return translated(step, () -> {
            VectorSchemaRoot checked = root.call();
            checkSchema(checked, "the schema");
            return checked;
        });
    }

    /**
     * {@code call}'s result; a runtime error from Arrow becomes {@link MalformedIpcException} naming
     * {@code step}. The documented refusals pass through: {@link InvalidTensorMetadataException} and
     * the allocator's {@link OutOfMemoryException}.
     */
    static <T> T translated(String step, IoCall<T> call) throws IOException {
        try {
            return call.call();
        } catch (InvalidTensorMetadataException | OutOfMemoryException documented) {
            throw documented;
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause() instanceof MalformedIpcException refused ? refused
                    : new MalformedIpcException("the Arrow IPC input is malformed: " + step + " failed with " + e, e);
        } catch (RuntimeException e) {
            throw new MalformedIpcException("the Arrow IPC input is malformed: " + step + " failed with " + e, e);
        }
    }

    /**
     * Checks a RecordBatch or DictionaryBatch message against the body that was read for it.
     *
     * @throws MalformedIpcException naming the first length, offset or buffer that does not fit
     */
    static void checkBatchMessage(Message message, long bodyLength, String where) throws MalformedIpcException {
        try {
            RecordBatch batch;
            if (message.headerType() == MessageHeader.RecordBatch) {
                batch = (RecordBatch) message.header(new RecordBatch());
            } else if (message.headerType() == MessageHeader.DictionaryBatch) {
                DictionaryBatch dictionary = (DictionaryBatch) message.header(new DictionaryBatch());
                batch = dictionary == null ? null : dictionary.data();
                if (dictionary != null) {
                    dictionary.id();
                    dictionary.isDelta();
                }
            } else {
                return;
            }
            if (batch == null) {
                throw new MalformedIpcException(where + " has no record batch header");
            }
            checkRecordBatch(batch, bodyLength, where);
        } catch (MalformedIpcException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedIpcException(where + " has a message header that cannot be read: " + e, e);
        }
    }

    /** The deepest nesting of fields a schema may have; Arrow converts a schema recursively. */
    static final int MAX_FIELD_DEPTH = 64;
    /** The most fields, children included, a schema may have. */
    static final int MAX_FIELDS = 100_000;

    /**
     * Checks that a schema's fields nest at most {@value #MAX_FIELD_DEPTH} deep and number at most
     * {@value #MAX_FIELDS}, before Arrow converts it recursively: a flatbuffer whose fields point back
     * at their parents would otherwise overflow Arrow's stack, and one whose fields share children
     * would take exponential time. It also checks each union's type ids ({@link #checkUnionTypeIds}).
     *
     * @throws MalformedIpcException naming the depth, count or type ids found
     */
    static void checkSchemaNesting(org.apache.arrow.flatbuf.Schema schema, String where)
            throws MalformedIpcException {
        if (schema == null) {
            return; // Arrow reports a missing schema itself
        }
        try {
            java.util.ArrayDeque<org.apache.arrow.flatbuf.Field> fields = new java.util.ArrayDeque<>();
            java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
            for (int i = 0; i < schema.fieldsLength(); i++) {
                fields.push(schema.fields(i));
                depths.push(1);
            }
            int visited = 0;
            while (!fields.isEmpty()) {
                org.apache.arrow.flatbuf.Field field = fields.pop();
                int depth = depths.pop();
                if (depth > MAX_FIELD_DEPTH) {
                    throw new MalformedIpcException(where + " has fields nested more than " + MAX_FIELD_DEPTH
                            + " deep (or a field that contains itself)");
                }
                if (++visited > MAX_FIELDS) {
                    throw new MalformedIpcException(where + " has more than " + MAX_FIELDS + " fields, children "
                            + "included");
                }
                if (field == null) {
                    continue;
                }
                checkUnionTypeIds(field, where);
                for (int i = 0; i < field.childrenLength(); i++) {
                    fields.push(field.children(i));
                    depths.push(depth + 1);
                }
            }
        } catch (RuntimeException e) {
            throw new MalformedIpcException(where + " has a schema that cannot be read: " + e, e);
        }
    }

    /**
     * Checks that a union field's type ids fit in the metadata that holds them: Arrow allocates an
     * {@code int[]} of the count the flatbuffer claims before it reads one id, so a lying count of two
     * billion would exhaust the heap however few bytes were sent.
     *
     * @throws MalformedIpcException naming the count and the bytes there are
     */
    private static void checkUnionTypeIds(org.apache.arrow.flatbuf.Field field, String where)
            throws MalformedIpcException {
        if (field.typeType() != org.apache.arrow.flatbuf.Type.Union) {
            return;
        }
        org.apache.arrow.flatbuf.Union union = (org.apache.arrow.flatbuf.Union) field.type(
                new org.apache.arrow.flatbuf.Union());
        if (union == null) {
            return; // Arrow reports a union without its table itself
        }
        long bytes = union.typeIdsLength() * (long) Integer.BYTES;
        if (union.typeIdsLength() < 0 || bytes > union.getByteBuffer().limit()) {
            throw new MalformedIpcException(where + " has a union field " + field.name() + " claiming "
                    + union.typeIdsLength() + " type ids, more than its " + union.getByteBuffer().limit()
                    + " bytes of metadata hold");
        }
    }

    /**
     * Checks the schema in an IPC file's footer ({@link #checkSchemaNesting}) before Arrow reads it;
     * a file too small or without the magic is left for Arrow to refuse.
     */
    static void checkFooterSchema(SeekableByteChannel file) throws IOException {
        Footer footer = readFooter(file);
        if (footer == null) {
            return;
        }
        org.apache.arrow.flatbuf.Schema schema;
        try {
            schema = footer.schema();
        } catch (RuntimeException e) {
            throw new MalformedIpcException("the file's footer cannot be read: " + e, e);
        }
        checkSchemaNesting(schema, "the file's footer schema");
    }

    /**
     * The dictionary blocks an IPC file's footer lists, in the order Arrow reads them; empty for a
     * file too small or without a footer, which Arrow refuses itself. Arrow keeps its own list
     * private until the reader is initialized, and it reads the dictionaries while initializing.
     */
    static List<ArrowBlock> footerDictionaryBlocks(SeekableByteChannel file) throws IOException {
        Footer footer = readFooter(file);
        if (footer == null) {
            return List.of();
        }
        try {
            List<ArrowBlock> blocks = new ArrayList<>(footer.dictionariesLength());
            for (int i = 0; i < footer.dictionariesLength(); i++) {
                Block block = footer.dictionaries(i);
                blocks.add(new ArrowBlock(block.offset(), block.metaDataLength(), block.bodyLength()));
            }
            return blocks;
        } catch (RuntimeException e) {
            throw new MalformedIpcException("the file's footer cannot be read: " + e, e);
        }
    }

    /** The file's footer, read as Arrow reads it, or null where Arrow refuses the file by its size. */
    private static Footer readFooter(SeekableByteChannel file) throws IOException {
        long size = file.size();
        if (size < 10 + 6) {
            return null;
        }
        long position = file.position();
        try {
            ByteBuffer tail = readAt(file, size - 10, 10);
            int footerLength = tail.order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0);
            if (footerLength <= 0 || footerLength > size - 10 - 6) {
                return null;
            }
            ByteBuffer footer = readAt(file, size - 10 - footerLength, footerLength);
            try {
                return Footer.getRootAsFooter(footer);
            } catch (RuntimeException e) {
                throw new MalformedIpcException("the file's footer cannot be read: " + e, e);
            }
        } finally {
            file.position(position);
        }
    }

    private static ByteBuffer readAt(SeekableByteChannel file, long offset, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        file.position(offset);
        while (bytes.hasRemaining() && file.read(bytes) > 0) {
            // until full or the end of the file
        }
        return bytes.flip();
    }

    /**
     * Checks that a stream message has the type that belongs where it is: the first a Schema without
     * a body, every later one a RecordBatch or a DictionaryBatch.
     *
     * @throws MalformedIpcException naming the type found
     */
    static void checkHeaderType(Message message, boolean first, String where) throws MalformedIpcException {
        byte type;
        long bodyLength;
        try {
            type = message.headerType();
            bodyLength = message.bodyLength();
        } catch (RuntimeException e) {
            throw new MalformedIpcException(where + " has a message header that cannot be read: " + e, e);
        }
        if (first && (type != MessageHeader.Schema || bodyLength != 0)) {
            throw new MalformedIpcException(where + " is a " + headerName(type) + " message with a body of "
                    + bodyLength + " bytes; a stream starts with a Schema message, which has no body");
        }
        if (!first && type != MessageHeader.RecordBatch && type != MessageHeader.DictionaryBatch) {
            throw new MalformedIpcException(where + " is a " + headerName(type) + " message; after the schema a "
                    + "stream holds RecordBatch and DictionaryBatch messages only");
        }
    }

    /** The name of a message header type, or its number when it has none. */
    static String headerName(byte type) {
        return type >= 0 && type < MessageHeader.names.length ? MessageHeader.name(type) : "unknown (type " + type + ")";
    }

    private static void checkRecordBatch(RecordBatch batch, long bodyLength, String where)
            throws MalformedIpcException {
        if (bodyLength < 0) {
            throw new MalformedIpcException(where + " has body length " + bodyLength + "; it must be 0 or more");
        }
        if (batch.length() < 0 || batch.length() > Integer.MAX_VALUE) {
            throw new MalformedIpcException(where + " has length " + batch.length() + " rows; a batch has 0 to "
                    + Integer.MAX_VALUE);
        }
        for (int i = 0; i < batch.variadicBufferCountsLength(); i++) {
            if (batch.variadicBufferCounts(i) < 0) {
                throw new MalformedIpcException(where + " has variadic buffer count " + i + " of "
                        + batch.variadicBufferCounts(i));
            }
        }
        if (batch.compression() != null) {
            throw new MalformedIpcException(where + " has a compressed body (codec " + batch.compression().codec()
                    + "); TensorIpc reads uncompressed IPC only");
        }
        for (int i = 0; i < batch.nodesLength(); i++) {
            FieldNode node = batch.nodes(i);
            if (node.length() < 0 || node.length() > Integer.MAX_VALUE || node.nullCount() < 0
                    || node.nullCount() > node.length()) {
                throw new MalformedIpcException(where + " has field node " + i + " of length " + node.length()
                        + " with null count " + node.nullCount() + "; a node has 0 to " + Integer.MAX_VALUE
                        + " values and at most that many nulls");
            }
        }
        for (int i = 0; i < batch.buffersLength(); i++) {
            Buffer buffer = batch.buffers(i);
            long offset = buffer.offset();
            long length = buffer.length();
            if (offset < 0 || length < 0 || offset > bodyLength || length > bodyLength - offset) {
                throw new MalformedIpcException(where + " has buffer " + i + " at offset " + offset + " of length "
                        + length + ", outside its body of " + bodyLength + " bytes");
            }
        }
    }

    /**
     * Checks that a file block lies inside the file and that its message is a record batch whose
     * buffers lie inside the block's body, before Arrow allocates and reads it.
     *
     * @throws MalformedIpcException naming the block and what does not fit
     */
    static void checkFileBlock(SeekableByteChannel file, ArrowBlock block, int index) throws IOException {
        checkBlock(file, block, MessageHeader.RecordBatch, "record batch block " + index);
    }

    /**
     * Checks a dictionary block of a file as {@link #checkFileBlock} checks a record batch block, its
     * message a DictionaryBatch: Arrow reads a dictionary block into one buffer of its metadata and
     * body lengths, and when the file ends first, or the message cannot be sliced, it throws without
     * freeing that buffer.
     *
     * @throws MalformedIpcException naming the block and what does not fit
     */
    static void checkDictionaryBlock(SeekableByteChannel file, ArrowBlock block, int index) throws IOException {
        checkBlock(file, block, MessageHeader.DictionaryBatch, "dictionary block " + index);
    }

    private static void checkBlock(SeekableByteChannel file, ArrowBlock block, byte headerType, String name)
            throws IOException {
        String where = name + " (offset " + block.getOffset() + ", metadata " + block.getMetadataLength()
                + " bytes, body " + block.getBodyLength() + " bytes)";
        long size = file.size();
        long offset = block.getOffset();
        int metadataLength = block.getMetadataLength();
        long bodyLength = block.getBodyLength();
        if (offset < 0 || metadataLength < 8 || bodyLength < 0 || offset > size || metadataLength > size - offset
                || bodyLength > size - offset - metadataLength) {
            throw new MalformedIpcException(where + " does not lie inside the file of " + size + " bytes");
        }
        ByteBuffer metadata = ByteBuffer.allocate(metadataLength);
        long position = file.position();
        try {
            file.position(offset);
            while (metadata.hasRemaining() && file.read(metadata) > 0) {
                // reads the whole block metadata; the size check above says it is there
            }
        } finally {
            file.position(position);
        }
        metadata.flip();
        int prefix = metadata.getInt(0) == -1 ? 8 : 4;
        Message message;
        try {
            message = Message.getRootAsMessage(metadata.position(prefix).slice());
        } catch (RuntimeException e) {
            throw new MalformedIpcException(where + " holds a message that cannot be read: " + e, e);
        }
        if (message.headerType() != headerType) {
            throw new MalformedIpcException(where + " holds a " + headerName(message.headerType())
                    + " message where a " + headerName(headerType) + " belongs");
        }
        checkBatchMessage(message, bodyLength, where);
    }

    /**
     * Checks every column of a batch Arrow has loaded: buffers long enough for the row count (Arrow's
     * {@link ValueVectorUtility#validate}), and an element child for each tensor column.
     *
     * @throws MalformedIpcException naming the column and what is inconsistent
     */
    static void checkLoaded(VectorSchemaRoot root, String where) throws MalformedIpcException {
        checkSchema(root, where);
        for (FieldVector column : root.getFieldVectors()) {
            checkLoaded(column, where);
        }
    }

    /**
     * Checks one loaded vector, a column or a dictionary, as {@link #checkLoaded(VectorSchemaRoot,
     * String)} checks each column.
     *
     * @throws MalformedIpcException naming the vector and what is inconsistent
     */
    static void checkLoaded(FieldVector column, String where) throws MalformedIpcException {
        try {
            column.accept(new ValidateVectorBufferVisitor(), null);
        } catch (ValidateUtil.ValidateException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new MalformedIpcException(where + " has an inconsistent column " + column.getName() + " ("
                    + column.getField().getType() + "): " + e.getMessage(), e);
        }
    }

    /** Checks that each tensor column of the schema has its element child. */
    static void checkSchema(VectorSchemaRoot root, String where) throws MalformedIpcException {
        for (FieldVector column : root.getFieldVectors()) {
            if (column instanceof FixedShapeTensorVector tensors
                    && tensors.getUnderlyingVector().getDataVector() instanceof ZeroVector) {
                throw new MalformedIpcException(where + " has a " + FixedShapeTensorType.EXTENSION_NAME + " column "
                        + column.getName() + " whose FixedSizeList storage has no element child field");
            }
        }
    }
}
