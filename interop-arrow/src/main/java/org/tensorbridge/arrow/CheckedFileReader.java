package org.tensorbridge.arrow;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow's file reader with {@link IpcChecks} around it: each record batch block is checked against
 * the file before Arrow allocates and slices it, each loaded batch is validated, and Arrow's runtime
 * errors become {@link MalformedIpcException}. Not thread-safe, as Arrow's readers are not.
 */
final class CheckedFileReader extends ArrowFileReader {
    private final SeekableByteChannel file;
    private int next;

    CheckedFileReader(SeekableByteChannel file, BufferAllocator allocator) {
        super(file, allocator);
        this.file = file;
    }

    /** Checks the footer's schema ({@link IpcChecks#checkFooterSchema}) before Arrow converts it. */
    @Override
    protected Schema readSchema() throws IOException {
        IpcChecks.checkFooterSchema(file);
        return super.readSchema();
    }

    @Override
    public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
        return IpcChecks.translated("reading the footer and schema", () -> {
            VectorSchemaRoot root = super.getVectorSchemaRoot();
            IpcChecks.checkSchema(root, "the schema");
            return root;
        });
    }

    /** Checks the batch against the schema before Arrow loads it ({@link IpcBatchLayout}). */
    @Override
    protected void loadRecordBatch(ArrowRecordBatch batch) {
        VectorSchemaRoot root;
        try {
            root = super.getVectorSchemaRoot();
        } catch (IOException e) {
            batch.close();
            throw new java.io.UncheckedIOException(e);
        }
        IpcBatchLayout.checkOrClose(root, batch, "the record batch");
        super.loadRecordBatch(batch);
    }

    @Override
    public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
        return IpcChecks.translated("reading the dictionaries", super::getDictionaryVectors);
    }

    @Override
    public List<ArrowBlock> getRecordBlocks() throws IOException {
        return IpcChecks.translated("reading the footer", super::getRecordBlocks);
    }

    @Override
    public List<ArrowBlock> getDictionaryBlocks() throws IOException {
        return IpcChecks.translated("reading the footer", super::getDictionaryBlocks);
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        return IpcChecks.translated("loading record batch " + next, () -> {
            getVectorSchemaRoot();
            List<ArrowBlock> blocks = super.getRecordBlocks();
            if (next < blocks.size()) {
                IpcChecks.checkFileBlock(file, blocks.get(next), next);
            }
            boolean loaded = super.loadNextBatch();
            if (loaded) {
                next++;
                IpcChecks.checkLoaded(super.getVectorSchemaRoot(), "record batch " + (next - 1));
            }
            return loaded;
        });
    }

    @Override
    public boolean loadRecordBatch(ArrowBlock block) throws IOException {
        int index = getRecordBlocks().indexOf(block);
        if (index < 0) {
            throw new IllegalArgumentException("block " + block + " is not one of the file's record batches "
                    + getRecordBlocks() + "; take the block from getRecordBlocks()");
        }
        next = index;
        return IpcChecks.translated("loading record batch " + index, () -> super.loadRecordBatch(block));
    }
}
