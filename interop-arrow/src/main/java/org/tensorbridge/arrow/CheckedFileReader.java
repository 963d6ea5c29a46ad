package org.tensorbridge.arrow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow's file reader with {@link IpcFileChecks} around it: each record batch and dictionary block is
 * checked against the file before Arrow allocates and slices it, batches and dictionaries are loaded,
 * decompressed and validated by {@link CheckedBatchLoader}, and Arrow's runtime errors become
 * {@link MalformedIpcException}. Not thread-safe, as Arrow's readers are not.
 */
final class CheckedFileReader extends ArrowFileReader {
    private final SeekableByteChannel file;
    private final CheckedBatchLoader loader = new CheckedBatchLoader(IpcCodecs.INSTANCE);
    private int next;
    /** The footer's dictionary blocks, and the index of the one Arrow reads next. */
    private List<ArrowBlock> dictionaryBlocks = List.of();
    private int nextDictionary;

    CheckedFileReader(SeekableByteChannel file, BufferAllocator allocator) {
        super(file, allocator, IpcCodecs.INSTANCE);
        this.file = file;
    }

    /**
     * Checks the footer's schema ({@link IpcFileChecks#checkFooterSchema}) before Arrow converts it, and
     * keeps the footer's dictionary blocks, which Arrow reads before it lets anyone see its own list.
     */
    @Override
    protected Schema readSchema() throws IOException {
        IpcFileChecks.checkFooterSchema(file);
        Schema schema = super.readSchema();
        dictionaryBlocks = IpcFileChecks.footerDictionaryBlocks(file);
        return schema;
    }

    /**
     * Arrow reads the footer's dictionaries while it initializes, and closes the dictionary vectors on
     * {@code close()} only once initialized: when a dictionary is refused, the ones already loaded are
     * closed here, or their buffers would outlive the reader. (The root's vectors hold no memory yet.)
     */
    @Override
    public void initialize() throws IOException {
        try {
            super.initialize();
        } catch (IOException | RuntimeException e) {
            closeDictionaries();
            throw e;
        }
    }

    private void closeDictionaries() {
        if (dictionaries != null) {
            for (Dictionary dictionary : dictionaries.values()) {
                dictionary.getVector().close();
            }
        }
    }

    /**
     * Checks the footer's next dictionary block ({@link IpcFileChecks#checkDictionaryBlock}) before Arrow
     * allocates and reads it.
     */
    @Override
    public ArrowDictionaryBatch readDictionary() throws IOException {
        if (nextDictionary < dictionaryBlocks.size()) {
            IpcFileChecks.checkDictionaryBlock(file, dictionaryBlocks.get(nextDictionary), nextDictionary);
            nextDictionary++; // as Arrow counts the block it is about to read
        }
        return super.readDictionary();
    }

    /** Loads the dictionary batch through {@link CheckedBatchLoader}. */
    @Override
    protected void loadDictionary(ArrowDictionaryBatch batch) {
        loader.loadDictionaryOrRefuse(dictionaries, batch, allocator, "dictionary block " + (nextDictionary - 1));
    }

    @Override
    public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
        return IpcMessageChecks.checkedRoot("reading the footer and schema", super::getVectorSchemaRoot);
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
        loader.loadOrRefuse(root, batch, "record batch " + next);
    }

    @Override
    public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
        return IpcMessageChecks.translated("reading the dictionaries", super::getDictionaryVectors);
    }

    @Override
    public List<ArrowBlock> getRecordBlocks() throws IOException {
        return IpcMessageChecks.translated("reading the footer", super::getRecordBlocks);
    }

    @Override
    public List<ArrowBlock> getDictionaryBlocks() throws IOException {
        return IpcMessageChecks.translated("reading the footer", super::getDictionaryBlocks);
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        return IpcMessageChecks.translated("loading record batch " + next, () -> {
            getVectorSchemaRoot();
            List<ArrowBlock> blocks = super.getRecordBlocks();
            if (next < blocks.size()) {
                IpcFileChecks.checkFileBlock(file, blocks.get(next), next);
            }
            boolean loaded = super.loadNextBatch();
            if (loaded) {
                next++;
            }
            return loaded;
        });
    }

    @Override
    public boolean loadRecordBatch(ArrowBlock block) throws IOException {
        int index = getRecordBlocks().indexOf(block);
        if (index < 0) {
            throw new ArrowLayoutException("block " + block + " is not one of the file's record batches "
                    + getRecordBlocks() + "; take the block from getRecordBlocks()");
        }
        next = index;
        return IpcMessageChecks.translated("loading record batch " + index, () -> super.loadRecordBatch(block));
    }
}
