package org.tensorbridge.arrow;

import java.io.IOException;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.DictionaryBatch;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ZeroVector;

/**
 * The checks {@link TensorIpc}'s readers make on an IPC message before Arrow's reader sees it, each
 * where Arrow Java 19 fails in a way worse than a refusal (a leak, a stack overflow, an exhausted heap),
 * and the translation of the runtime errors of Arrow's reader into {@link MalformedIpcException}.
 * Everything about the vectors themselves is left to Arrow's validation ({@link CheckedBatchLoader}).
 * {@code ArrowValidationGapsTest} reads the committed regression input of each check with Arrow's
 * plain reader and fails once Arrow no longer misbehaves on it, so that the check can go. Stateless.
 */
final class IpcMessageChecks {
    private IpcMessageChecks() {
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
     * {@code call}'s result; a runtime error from Arrow, and the plain {@link IOException} with which
     * Arrow's reader refuses a cut or out-of-order input, become {@link MalformedIpcException} naming
     * {@code step}. The documented refusals pass through: {@link InvalidTensorMetadataException}, the
     * allocator's {@link OutOfMemoryException}, and I/O errors of the channel (subclasses of
     * {@link IOException}).
     */
    static <T> T translated(String step, IoCall<T> call) throws IOException {
        try {
            return call.call();
        } catch (InvalidTensorMetadataException | OutOfMemoryException | MalformedIpcException documented) {
            throw documented;
        } catch (IOException e) {
            // Arrow's reader refuses a cut or out-of-order stream with a plain IOException; an I/O error of the
            // channel itself is a subclass, and passes through as it is.
            if (e.getClass() != IOException.class) {
                throw e;
            }
            throw new MalformedIpcException("the Arrow IPC input is cut short or out of order: " + step + " failed: "
                    + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause() instanceof MalformedIpcException refused ? refused
                    : new MalformedIpcException("the Arrow IPC input is malformed: " + step + " failed with " + e, e);
        } catch (RuntimeException e) {
            throw new MalformedIpcException("the Arrow IPC input is malformed: " + step + " failed with " + e, e);
        }
    }

    /**
     * Checks a RecordBatch or DictionaryBatch message against the body that was read for it. Arrow's
     * {@code MessageSerializer.deserializeRecordBatch} slices each buffer out of the body with no check of
     * its own, and when a slice falls outside, a length does not fit an {@code int}, or the compression
     * table cannot be read, it throws without releasing the body (the flipped seeds and finding
     * {@code finding_unreadable_compression_leaked_body}). It reads an unknown codec as no compression.
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
     * would take exponential time (finding {@code finding_self_nested_schema_overflowed_stack}). It also
     * checks each union's type ids ({@link #checkUnionTypeIds}).
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
     * Checks that a union field's children have distinct names (see the comment where it is checked), and
     * that its type ids fit in the metadata that holds them: Arrow allocates an
     * {@code int[]} of the count the flatbuffer claims before it reads one id, so a lying count of two
     * billion would exhaust the heap however few bytes were sent (finding
     * {@code finding_union_type_ids_longer_than_metadata_exhausted_heap}).
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
        // Arrow Java keeps a union's children by name: of two children of one name, it never closes the one it
        // dropped, and leaks its buffers (finding finding_union_children_of_one_name_leaked_child).
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < field.childrenLength(); i++) {
            org.apache.arrow.flatbuf.Field child = field.children(i);
            if (child != null && !names.add(String.valueOf(child.name()))) {
                throw new MalformedIpcException(where + " has a union field " + field.name() + " with two children "
                        + "named " + child.name() + ", which Arrow Java cannot hold apart; rename one where the file "
                        + "is written");
            }
        }
    }

    /**
     * Checks that a stream message has the type that belongs where it is: the first a Schema without
     * a body, every later one a RecordBatch or a DictionaryBatch. Arrow's stream reader reads a message's
     * body before it looks at the header type, and leaks the body when the type is not one it expects
     * (finding {@code finding_body_of_unknown_message_leaked}).
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
        org.apache.arrow.flatbuf.BodyCompression compression = batch.compression();
        if (compression != null && (compression.codec() != org.apache.arrow.flatbuf.CompressionType.LZ4_FRAME
                && compression.codec() != org.apache.arrow.flatbuf.CompressionType.ZSTD
                || compression.method() != org.apache.arrow.flatbuf.BodyCompressionMethod.BUFFER)) {
            // Arrow reads an unknown codec as no compression at all.
            throw new MalformedIpcException(where + " has a body compressed with codec " + compression.codec()
                    + " and method " + compression.method() + "; the format defines lz4_frame (0) and zstd (1), "
                    + "buffer by buffer (0)");
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
     * Checks that each tensor column of the schema has its element child: Arrow makes a FixedSizeList
     * whose field has no child with a {@link ZeroVector} child, which a tensor column cannot have.
     */
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
