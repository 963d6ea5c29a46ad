package org.tensorbridge.arrow;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;

/**
 * Arrow IPC files and streams that carry {@code arrow.fixed_shape_tensor} columns, written and read
 * with Arrow's own {@link ArrowFileWriter}, {@link ArrowStreamWriter}, {@link ArrowFileReader} and
 * {@link ArrowStreamReader}. The extension type is written as the specification says (the storage
 * type plus the field metadata {@code ARROW:extension:name} and {@code ARROW:extension:metadata}), so
 * any Arrow implementation reads it; the readers opened here register the type first, so such
 * columns come back as {@link FixedShapeTensorVector}s (a reader that does not know the type sees the
 * plain {@code FixedSizeList} storage).
 *
 * <h2>Reading</h2>
 * The readers take every valid IPC stream and file, whatever the other columns beside the tensors
 * are, and bodies compressed with {@code lz4_frame} or {@code zstd} (decompressed through
 * {@code arrow-compression}; that is a copy, so tensors from such a batch are over the decompressed
 * buffers). Each batch is loaded and then checked with Arrow's own validation before anyone sees it
 * ({@link CheckedBatchLoader}); the few checks Arrow lacks, or that must come before Arrow's reader
 * sees the bytes, are each named where they are made ({@link IpcMessageChecks}, {@link IpcFileChecks}).
 * Bytes from outside are either read or refused, and a refusal leaves nothing open in the allocator.
 * Their {@code getVectorSchemaRoot()}, {@code loadNextBatch()} (and the file reader's
 * {@code getRecordBlocks()}, {@code getDictionaryBlocks()} and {@code loadRecordBatch}) refuse
 * malformed input with
 * <ul>
 *   <li>{@link MalformedIpcException} (an {@link IOException}) naming what was wrong, for bytes that are
 *       not a well-formed IPC stream or file, a truncated one included, with any error Arrow's reader
 *       raised on them as its cause;</li>
 *   <li>an {@link IOException} subclass from the channel itself, as it is;</li>
 *   <li>{@link InvalidTensorMetadataException} for an {@code arrow.fixed_shape_tensor} field whose
 *       metadata or storage breaks the specification;</li>
 *   <li>Arrow's {@link org.apache.arrow.memory.OutOfMemoryException} when the input claims more memory
 *       than the allocator may give (a batch, or a buffer's decompressed length): read untrusted input
 *       with an allocator that has a limit.</li>
 * </ul>
 *
 * <p>Writing copies the column's bytes into the output, as IPC does, compressed as
 * {@link IpcCompression} says. Reading allocates the batches from the allocator given; a tensor
 * imported from a batch keeps its buffers alive after the reader is closed ({@link ArrowImport}).
 * Stateless and thread-safe; readers and writers are not.
 */
public final class TensorIpc {
    private TensorIpc() {
    }

    /** Writes {@code root} as an IPC file of one uncompressed record batch, then closes the channel (Arrow's writer does). */
    public static void writeFile(VectorSchemaRoot root, WritableByteChannel out) throws IOException {
        writeFile(root, out, IpcCompression.NONE);
    }

    /** Writes {@code root} as an IPC file of one record batch with bodies compressed as {@code compression} says. */
    public static void writeFile(VectorSchemaRoot root, WritableByteChannel out, IpcCompression compression)
            throws IOException {
        Objects.requireNonNull(compression, "compression must not be null; use IpcCompression.NONE");
        FixedShapeTensorType.ensureRegistered();
        try (ArrowFileWriter writer = new ArrowFileWriter(root, null, out, null, IpcOption.DEFAULT,
                IpcCodecs.INSTANCE, compression.codecType())) {
            writer.start();
            writer.writeBatch();
            writer.end();
        }
    }

    /** Writes {@code root} as an IPC stream of one uncompressed record batch, then closes the stream (Arrow's writer does). */
    public static void writeStream(VectorSchemaRoot root, OutputStream out) throws IOException {
        writeStream(root, out, IpcCompression.NONE);
    }

    /** Writes {@code root} as an IPC stream of one record batch with bodies compressed as {@code compression} says. */
    public static void writeStream(VectorSchemaRoot root, OutputStream out, IpcCompression compression)
            throws IOException {
        Objects.requireNonNull(compression, "compression must not be null; use IpcCompression.NONE");
        try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out), IpcOption.DEFAULT,
                IpcCodecs.INSTANCE, compression.codecType())) {
            writer.start();
            writer.writeBatch();
            writer.end();
        }
    }

    /**
     * A reader of an IPC file with the extension type registered; the caller closes it (which closes
     * its root, not tensors imported from it). Malformed input is refused as the class comment says.
     */
    public static ArrowFileReader openFile(SeekableByteChannel in, BufferAllocator allocator) {
        FixedShapeTensorType.ensureRegistered();
        return new CheckedFileReader(in, allocator);
    }

    /**
     * A reader of an IPC stream with the extension type registered; the caller closes it. Malformed
     * input is refused as the class comment says.
     */
    public static ArrowStreamReader openStream(InputStream in, BufferAllocator allocator) {
        FixedShapeTensorType.ensureRegistered();
        return new CheckedStreamReader(in, allocator);
    }

    /**
     * Checks a batch that arrived some other way (Arrow Flight, say) as the readers opened here check each
     * batch they load: Arrow's own buffer and data validation ({@code ValueVectorUtility.validateFull}),
     * with the gaps of Arrow Java 19 filled (it throws for every {@code FixedSizeList} column with a row,
     * tensor columns among them, and does not know list views). Reads the buffers; changes nothing.
     *
     * @throws MalformedIpcException naming the inconsistent column and what is wrong with it
     */
    public static void validate(VectorSchemaRoot root) throws MalformedIpcException {
        Objects.requireNonNull(root, "root must not be null");
        for (org.apache.arrow.vector.FieldVector column : root.getFieldVectors()) {
            try {
                ArrowValidation.validate(column);
            } catch (RuntimeException e) {
                throw new MalformedIpcException("the batch has an inconsistent column " + column.getName() + " ("
                        + column.getField().getType() + "): " + e.getMessage(), e);
            }
        }
    }
}
