package org.tensorbridge.arrow;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/**
 * Arrow IPC files and streams that carry {@code arrow.fixed_shape_tensor} columns, written and read
 * with Arrow's own {@link ArrowFileWriter}, {@link ArrowStreamWriter}, {@link ArrowFileReader} and
 * {@link ArrowStreamReader}. The extension type is written as the specification says (the storage
 * type plus the field metadata {@code ARROW:extension:name} and {@code ARROW:extension:metadata}), so
 * any Arrow implementation reads it; the readers opened here register the type first, so such
 * columns come back as {@link FixedShapeTensorVector}s (a reader that does not know the type sees the
 * plain {@code FixedSizeList} storage).
 *
 * <h2>Reading outside bytes</h2>
 * The readers returned check what Arrow's own readers take on trust, so that bytes from outside are
 * either read or refused, and a refusal leaves nothing open in the allocator: each record batch's
 * and dictionary batch's buffers must lie inside its message body (a file's blocks inside the file),
 * its lengths must fit, a dictionary batch must fill a dictionary the schema defines, and each loaded
 * batch and dictionary must have buffers long enough for its row count. Their {@code
 * getVectorSchemaRoot()}, {@code loadNextBatch()} (and the file reader's {@code getRecordBlocks()},
 * {@code getDictionaryBlocks()} and {@code loadRecordBatch}) refuse malformed input with
 * <ul>
 *   <li>{@link MalformedIpcException} (an {@link IOException}) naming what was wrong, for bytes that are
 *       not a well-formed IPC stream or file, including any runtime error Arrow's reader raises on
 *       them;</li>
 *   <li>{@link IOException} from Arrow's reader for a truncated stream or an unexpected message;</li>
 *   <li>{@link InvalidTensorMetadataException} for an {@code arrow.fixed_shape_tensor} field whose
 *       metadata or storage breaks the specification;</li>
 *   <li>Arrow's {@link org.apache.arrow.memory.OutOfMemoryException} when the input claims more memory
 *       than the allocator may give: read untrusted input with an allocator that has a limit.</li>
 * </ul>
 * Compressed IPC bodies are refused ({@link MalformedIpcException}), as Arrow's default reader does.
 *
 * <p>Writing copies the column's bytes into the output, as IPC does. Reading allocates the batches
 * from the allocator given; a tensor imported from a batch keeps its buffers alive after the reader is
 * closed ({@link ArrowImport}). Stateless and thread-safe; readers and writers are not.
 */
public final class TensorIpc {
    private TensorIpc() {
    }

    /** Writes {@code root} as an IPC file of one record batch, then closes the channel (Arrow's writer does). */
    public static void writeFile(VectorSchemaRoot root, WritableByteChannel out) throws IOException {
        try (ArrowFileWriter writer = new ArrowFileWriter(root, null, out)) {
            writer.start();
            writer.writeBatch();
            writer.end();
        }
    }

    /** Writes {@code root} as an IPC stream of one record batch, then closes the stream (Arrow's writer does). */
    public static void writeStream(VectorSchemaRoot root, OutputStream out) throws IOException {
        try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
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
}
