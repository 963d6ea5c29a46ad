package org.tensorbridge.arrow;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil.CodecType;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.VectorBatchAppender;

/**
 * Loads a record batch into a root as Arrow's {@code VectorLoader} does (the same buffers to the same
 * vectors, decompressed the same way), with Arrow's validation ({@link ArrowValidation}) between the
 * buffers and the row count.
 *
 * <p>Why not {@code VectorLoader} itself: it sets the row count as soon as the buffers are in the
 * vectors. A vector whose IPC buffers are shorter than that count grows by copying from them, which
 * throws after the new buffer is allocated, and that buffer is never freed; and when one buffer of a
 * compressed batch fails to decompress, the buffers already decompressed are never freed either.
 * {@code ArrowValidationGapsTest} shows both and fails once Arrow fixes them. Here every buffer this
 * loader decompressed is released whatever happens, each top-level field node must be as long as the
 * batch (what the format requires, and what keeps the row count inside what was validated), and every
 * vector is validated at its node's length before the row count is set. A refusal clears the root, so
 * the reader holds nothing of the batch.
 *
 * <p>Stateless apart from the codec factory; thread-safe.
 */
final class CheckedBatchLoader {
    private final CompressionCodec.Factory codecs;

    CheckedBatchLoader(CompressionCodec.Factory codecs) {
        this.codecs = codecs;
    }

    /**
     * Loads {@code batch} into {@code root}; the caller still owns (and closes) the batch.
     *
     * @throws MalformedIpcException naming {@code where} and what was inconsistent; the root is then cleared
     * @throws OutOfMemoryException when decompression needs more than the allocator may give
     */
    void load(VectorSchemaRoot root, ArrowRecordBatch batch, String where) throws MalformedIpcException {
        List<ArrowBuf> decompressed = new ArrayList<>();
        boolean loaded = false;
        try {
            CodecType codecType = CodecType.fromCompressionType(batch.getBodyCompression().getCodec());
            CompressionCodec codec = codecType == CodecType.NO_COMPRESSION ? null : codecs.createCodec(codecType);
            Parts parts = new Parts(batch, codec, decompressed);
            List<ArrowFieldNode> topNodes = new ArrayList<>();
            for (FieldVector vector : root.getFieldVectors()) {
                topNodes.add(parts.load(vector, vector.getField(), where + ", column " + vector.getName()));
            }
            parts.requireConsumed(where);
            for (int i = 0; i < topNodes.size(); i++) {
                FieldVector column = root.getFieldVectors().get(i);
                if (topNodes.get(i).getLength() != batch.getLength()) {
                    throw new MalformedIpcException(where + " has " + batch.getLength() + " rows but its column "
                            + column.getName() + " has " + topNodes.get(i).getLength() + "; every column of a record "
                            + "batch has its length");
                }
                validate(column, where);
            }
            root.setRowCount(batch.getLength());
            loaded = true;
        } catch (MalformedIpcException | OutOfMemoryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedIpcException(where + " cannot be loaded: " + e.getMessage(), e);
        } finally {
            decompressed.forEach(ArrowBuf::close);
            if (!loaded) {
                root.clear();
            }
        }
    }

    /**
     * What a reader's {@code loadRecordBatch} does: loads {@code batch} into {@code root} and closes the
     * batch, whatever happens. A refusal is thrown as an {@link UncheckedIOException} around the
     * {@link MalformedIpcException}, which {@link IpcMessageChecks#translated} unwraps.
     */
    void loadOrRefuse(VectorSchemaRoot root, ArrowRecordBatch batch, String where) {
        try (batch) {
            load(root, batch, where);
        } catch (MalformedIpcException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a reader's {@code loadDictionary} does, as Arrow's {@code ArrowReader.loadDictionary} (a delta
     * batch appended to the dictionary), through {@link #load}, closing the batch whatever happens. Arrow
     * refuses a batch for an id the schema does not define without closing it (finding
     * {@code finding_dictionary_of_undefined_id_leaked_batch}); here it is closed. A refusal is thrown as
     * {@link #loadOrRefuse} throws it.
     */
    void loadDictionaryOrRefuse(Map<Long, Dictionary> dictionaries, ArrowDictionaryBatch batch,
            BufferAllocator allocator, String where) {
        try (batch) {
            Dictionary dictionary = dictionaries.get(batch.getDictionaryId());
            if (dictionary == null) {
                throw new MalformedIpcException(where + " fills dictionary " + batch.getDictionaryId() + ", which the "
                        + "schema does not define (it defines " + dictionaries.keySet() + ")");
            }
            FieldVector vector = dictionary.getVector();
            if (batch.isDelta()) {
                try (FieldVector delta = vector.getField().createVector(allocator)) {
                    load(single(delta), batch.getDictionary(), where);
                    VectorBatchAppender.batchAppend(vector, delta);
                }
            } else {
                load(single(vector), batch.getDictionary(), where);
            }
        } catch (MalformedIpcException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static VectorSchemaRoot single(FieldVector vector) {
        return new VectorSchemaRoot(List.of(vector.getField()), List.of(vector), 0);
    }

    private static void validate(FieldVector column, String where) throws MalformedIpcException {
        try {
            ArrowValidation.validate(column);
        } catch (RuntimeException e) {
            throw new MalformedIpcException(where + " has an inconsistent column " + column.getName() + " ("
                    + column.getField().getType() + "): " + e.getMessage(), e);
        }
    }

    /** The batch's nodes, buffers and variadic buffer counts, handed out in schema order as Arrow does. */
    private static final class Parts {
        private final Iterator<ArrowFieldNode> nodes;
        private final Iterator<ArrowBuf> buffers;
        private final Iterator<Long> variadicCounts;
        private final CompressionCodec codec;
        private final List<ArrowBuf> decompressed;

        Parts(ArrowRecordBatch batch, CompressionCodec codec, List<ArrowBuf> decompressed) {
            this.nodes = batch.getNodes().iterator();
            this.buffers = batch.getBuffers().iterator();
            List<Long> variadic = batch.getVariadicBufferCounts();
            this.variadicCounts = variadic == null ? Collections.emptyIterator() : variadic.iterator();
            this.codec = codec;
            this.decompressed = decompressed;
        }

        /** Loads {@code vector}'s buffers and its children's; returns its node. */
        ArrowFieldNode load(FieldVector vector, Field field, String where) throws MalformedIpcException {
            if (!nodes.hasNext()) {
                throw new MalformedIpcException(where + " has no field node; the batch has fewer nodes than the "
                        + "schema has fields");
            }
            ArrowFieldNode node = nodes.next();
            long count = TypeLayout.getTypeBufferCount(field.getType());
            if (vector instanceof BaseVariableWidthViewVector) {
                if (!variadicCounts.hasNext()) {
                    throw new MalformedIpcException(where + " is " + field.getType() + " but the batch has no "
                            + "variadic buffer count for it");
                }
                count += variadicCounts.next();
            }
            List<ArrowBuf> own = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                if (!buffers.hasNext()) {
                    throw new MalformedIpcException(where + " (" + field.getType() + ") needs " + count
                            + " buffers but the batch has only " + i + " left for it");
                }
                own.add(decompressed(buffers.next(), vector.getAllocator()));
            }
            vector.loadFieldBuffers(node, own);
            List<Field> children = field.getChildren();
            List<FieldVector> childVectors = vector.getChildrenFromFields();
            if (children.size() != childVectors.size()) {
                throw new MalformedIpcException(where + " has " + childVectors.size() + " child vectors for "
                        + children.size() + " child fields");
            }
            for (int i = 0; i < children.size(); i++) {
                load(childVectors.get(i), children.get(i), where + "." + children.get(i).getName());
            }
            return node;
        }

        /**
         * The buffer a vector gets: {@code buffer} itself in an uncompressed batch; otherwise what the codec
         * makes of it, with the body's reference handed back as {@code VectorLoader} does (the codec releases
         * the buffer it decompressed), and the result released after loading.
         */
        private ArrowBuf decompressed(ArrowBuf buffer, BufferAllocator allocator) {
            if (codec == null) {
                return buffer;
            }
            ArrowBuf result = buffer.writerIndex() > 0 ? codec.decompress(allocator, buffer) : buffer;
            buffer.getReferenceManager().retain();
            decompressed.add(result);
            return result;
        }

        void requireConsumed(String where) throws MalformedIpcException {
            if (nodes.hasNext() || buffers.hasNext() || variadicCounts.hasNext()) {
                throw new MalformedIpcException(where + " has more field nodes, buffers or variadic buffer counts than "
                        + "its schema's fields take");
            }
        }
    }
}
