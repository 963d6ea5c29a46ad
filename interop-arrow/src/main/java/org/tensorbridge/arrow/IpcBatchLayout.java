package org.tensorbridge.arrow;

import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BufferLayout;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.UnionMode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Checks a deserialized record batch against the schema (or a dictionary batch against its
 * dictionary) before Arrow's {@code VectorLoader} loads it:
 * every field has its node and buffers, and each buffer is long enough for the number of values the
 * loader will set on its vector ({@code root.setRowCount(batch length)}, then down the children: the
 * list size times that for a FixedSizeList, the last offset for a list). Arrow grows a vector whose
 * buffers are too short for that count by copying from them past their end, which throws after the
 * new buffer is allocated, and that buffer is never freed: this check refuses such a batch first, so
 * a refusal leaves the allocator as it was. Stateless.
 */
final class IpcBatchLayout {
    private IpcBatchLayout() {
    }

    /**
     * Checks {@code batch} against {@code root}'s vectors; on a refusal it closes the batch (releasing
     * its buffers) and throws {@link UncheckedIOException} around a {@link MalformedIpcException},
     * which the readers unwrap.
     */
    static void checkOrClose(IpcChecks.IoCall<VectorSchemaRoot> root, ArrowRecordBatch batch, String where) {
        VectorSchemaRoot schemaRoot;
        try {
            schemaRoot = root.call();
        } catch (java.io.IOException e) {
            batch.close();
            throw new UncheckedIOException(e);
        }
        checkOrClose(schemaRoot, batch, where);
    }

    private static void checkOrClose(VectorSchemaRoot root, ArrowRecordBatch batch, String where) {
        List<Field> fields = root.getFieldVectors().stream().map(FieldVector::getField).toList();
        checkOrClose(fields, batch, where, ", column ");
    }

    /**
     * Checks a dictionary batch as {@link #checkOrClose(IpcChecks.IoCall, ArrowRecordBatch, String)}
     * checks a record batch, against the vector of the dictionary it fills (Arrow loads it the same
     * way, with the same leak), and checks first that the schema defines its id: Arrow refuses an
     * unknown id without closing the batch. On a refusal it closes the batch.
     */
    static void checkDictionaryOrClose(Map<Long, Dictionary> dictionaries, ArrowDictionaryBatch batch,
            String where) {
        Dictionary dictionary = dictionaries.get(batch.getDictionaryId());
        if (dictionary == null) {
            batch.close();
            throw new UncheckedIOException(new MalformedIpcException(where + " fills dictionary "
                    + batch.getDictionaryId() + ", which the schema does not define (it defines "
                    + dictionaries.keySet() + ")"));
        }
        checkOrClose(List.of(dictionary.getVector().getField()), batch.getDictionary(), where, ", dictionary ");
    }

    /**
     * Checks a dictionary vector after Arrow loaded a batch into it ({@link IpcChecks#checkLoaded(
     * FieldVector, String)}); a refusal is thrown as {@link #checkOrClose} throws it, and the vector
     * stays with the reader, which closes it.
     */
    static void checkLoadedDictionary(Dictionary dictionary, String where) {
        try {
            IpcChecks.checkLoaded(dictionary.getVector(), where);
        } catch (MalformedIpcException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkOrClose(List<Field> fields, ArrowRecordBatch batch, String where, String column) {
        try {
            check(fields, batch, where, column);
        } catch (MalformedIpcException e) {
            batch.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            batch.close();
            throw new UncheckedIOException(new MalformedIpcException(where + " cannot be checked against the "
                    + "schema: " + e, e));
        }
    }

    private static void check(List<Field> fields, ArrowRecordBatch batch, String where, String column)
            throws MalformedIpcException {
        Iterator<ArrowFieldNode> nodes = batch.getNodes().iterator();
        Iterator<ArrowBuf> buffers = batch.getBuffers().iterator();
        Iterator<Long> variadic = batch.getVariadicBufferCounts().iterator();
        for (Field field : fields) {
            check(field, batch.getLength(), nodes, buffers, variadic, where + column + field.getName());
        }
    }

    /** {@code count} is the number of values the loader sets on this field's vector, or -1 for its node's length. */
    private static void check(Field field, long count, Iterator<ArrowFieldNode> nodes, Iterator<ArrowBuf> buffers,
            Iterator<Long> variadic, String where) throws MalformedIpcException {
        if (!nodes.hasNext()) {
            throw new MalformedIpcException(where + " has no field node in the batch; the batch has fewer nodes "
                    + "than the schema has fields");
        }
        ArrowFieldNode node = nodes.next();
        long values = count < 0 ? node.getLength() : count;
        if (values > node.getLength()) {
            throw new MalformedIpcException(where + " has a field node of " + node.getLength() + " values but the "
                    + "batch needs " + values + " of it");
        }
        ArrowType type = field.getType();
        if (type instanceof ArrowType.ExtensionType extension) {
            type = extension.storageType();
        }
        List<BufferLayout> layouts = TypeLayout.getTypeLayout(type).getBufferLayouts();
        long extra = 0;
        if (type instanceof ArrowType.Utf8View || type instanceof ArrowType.BinaryView) {
            if (!variadic.hasNext()) {
                throw new MalformedIpcException(where + " is " + type + " but the batch has no variadic buffer count "
                        + "for it");
            }
            extra = variadic.next();
            if (extra < 0 || extra > Integer.MAX_VALUE) {
                throw new MalformedIpcException(where + " has a variadic buffer count of " + extra);
            }
        }
        ArrowBuf[] own = new ArrowBuf[layouts.size()];
        for (long i = 0; i < layouts.size() + extra; i++) {
            if (!buffers.hasNext()) {
                throw new MalformedIpcException(where + " (" + type + ") needs " + (layouts.size() + extra)
                        + " buffers but the batch has only " + i + " left for it");
            }
            ArrowBuf buffer = buffers.next();
            if (i < own.length) {
                own[(int) i] = buffer;
            }
        }
        long childCount = -1;
        for (int i = 0; i < own.length; i++) {
            BufferLayout layout = layouts.get(i);
            long width = layout.getTypeBitWidth();
            long need = switch (layout.getType()) {
                // Arrow uses a validity buffer as it comes, unless it is empty and the values are all
                // valid or all null: then it allocates one for the node's length itself.
                case VALIDITY -> own[i].capacity() == 0 && (node.getNullCount() == 0
                        || node.getNullCount() == node.getLength()) ? 0 : (values + 7) / 8;
                case OFFSET -> values == 0 ? 0 : (values + 1) * width / 8;
                default -> (values * width + 7) / 8;
            };
            if (own[i].capacity() < need) {
                throw new MalformedIpcException(where + " (" + type + ") has a " + layout.getType() + " buffer of "
                        + own[i].capacity() + " bytes but " + values + " values need " + need);
            }
            if (layout.getType() == BufferLayout.BufferType.OFFSET && values > 0) {
                childCount = width == 64 ? own[i].getLong(values * 8) : own[i].getInt(values * 4);
                if (childCount < 0) {
                    throw new MalformedIpcException(where + " (" + type + ") has a last offset of " + childCount);
                }
            } else if (layout.getType() == BufferLayout.BufferType.OFFSET) {
                childCount = 0;
            }
        }
        if (type instanceof ArrowType.FixedSizeList list) {
            childCount = values * list.getListSize();
        } else if (type instanceof ArrowType.Struct
                || (type instanceof ArrowType.Union union && union.getMode() == UnionMode.Sparse)) {
            childCount = values;
        } else if (!(type instanceof ArrowType.List || type instanceof ArrowType.LargeList
                || type instanceof ArrowType.Map)) {
            childCount = -1;
        }
        for (Field child : field.getChildren()) {
            check(child, childCount, nodes, buffers, variadic, where + "." + child.getName());
        }
    }
}
