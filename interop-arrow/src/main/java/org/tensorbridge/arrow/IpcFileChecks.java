package org.tensorbridge.arrow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.Block;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/**
 * The checks {@link TensorIpc}'s file reader makes on an IPC file's footer and blocks before Arrow's
 * {@code ArrowFileReader} reads them, each where Arrow Java 19 would leak or overflow its stack on a
 * malformed file ({@code ArrowValidationGapsTest} notices when it no longer does): the footer's schema
 * is checked as a stream's ({@link IpcMessageChecks#checkSchemaNesting}), and every block must lie
 * inside the file and hold the message type it is listed as. Stateless.
 */
final class IpcFileChecks {
    private IpcFileChecks() {
    }

    /**
     * Checks the schema in an IPC file's footer ({@link IpcMessageChecks#checkSchemaNesting}) before Arrow reads it;
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
        IpcMessageChecks.checkSchemaNesting(schema, "the file's footer schema");
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
     * Checks that a file block lies inside the file and that its message is a record batch whose
     * buffers lie inside the block's body, before Arrow allocates and reads it: Arrow's file reader
     * allocates a block's metadata and body at the lengths the footer claims and leaks them when the file
     * ends first or the message cannot be sliced.
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
            throw new MalformedIpcException(where + " holds a " + IpcMessageChecks.headerName(message.headerType())
                    + " message where a " + IpcMessageChecks.headerName(headerType) + " belongs");
        }
        IpcMessageChecks.checkBatchMessage(message, bodyLength, where);
    }

}
