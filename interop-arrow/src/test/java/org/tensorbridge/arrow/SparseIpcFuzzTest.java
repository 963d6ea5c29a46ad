package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.UnsupportedDTypeException;

/**
 * Any bytes read through {@link TensorIpc#openStream} and handed batch by batch to
 * {@link SparseImport#toSparseTensor} either give sparse tensors whose indices and values are readable
 * (through {@code toSparseValue}), or are refused with a documented exception:
 * <ul>
 *   <li>from reading the stream: {@link IOException} ({@link MalformedIpcException} among them),
 *       {@link InvalidTensorMetadataException}, and Arrow's {@link OutOfMemoryException} when the stream
 *       claims more than the allocator's limit;</li>
 *   <li>from {@code SparseImport}, as its javadoc and {@code Backend.sparseCoo}'s list them, and only
 *       when thrown by tensorbridge code (an Arrow {@code IllegalArgumentException} or
 *       {@code IndexOutOfBoundsException} escaping is a finding): {@link IllegalArgumentException} (the
 *       layout's columns or metadata missing or wrong, {@link NullElementsException} among them),
 *       {@link ShapeMismatchException}, {@link DTypeMismatchException}, {@link UnsupportedDTypeException},
 *       {@link IndexOutOfBoundsException} (an index outside the dense shape).</li>
 * </ul>
 * After every input the Arrow allocator holds 0 bytes and the CPU backend's ledger is back where it was.
 *
 * <p>In {@code ./mvnw verify} this runs over the committed corpus
 * ({@code src/test/resources/org/tensorbridge/arrow/SparseIpcFuzzTestInputs/sparseStreamImportsOrIsRefused/},
 * seeded by {@link IpcSeeds}). To fuzz for the fixed time of {@code maxDuration} (5 minutes), with
 * Arrow's IPC reader and the tensorbridge jars instrumented as well as this module's classes (see
 * {@link TensorIpcFuzzTest} for why):
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='org.tensorbridge.**:org.apache.arrow.**' \
 *   ./mvnw -o -pl interop-arrow test -Dtest=SparseIpcFuzzTest
 * </pre>
 */
class SparseIpcFuzzTest {
    private static final int MAX_BATCHES = 16;
    private static final Backend CPU = TestMemory.cpu();

    @FuzzTest(maxDuration = "5m")
    void sparseStreamImportsOrIsRefused(byte[] bytes) throws IOException {
        long liveBefore = TestMemory.liveBytes(CPU);
        try (RootAllocator allocator = new RootAllocator(TensorIpcFuzzTest.ALLOCATOR_LIMIT)) {
            try (ArrowStreamReader reader = TensorIpc.openStream(new ByteArrayInputStream(bytes), allocator)) {
                VectorSchemaRoot batch = reader.getVectorSchemaRoot();
                for (int i = 0; i < MAX_BATCHES && reader.loadNextBatch(); i++) {
                    importOrRefuse(batch);
                }
            } catch (IOException | InvalidTensorMetadataException | OutOfMemoryException documented) {
                // A documented refusal of the stream.
            }
            assertEquals(0, allocator.getAllocatedMemory(), () -> "Arrow memory left open:\n"
                    + allocator.toVerboseString());
        }
        assertEquals(liveBefore, TestMemory.liveBytes(CPU), "backend memory left open");
    }

    /** The valid seeds, as SparseExport writes them, import: the fuzzer starts from real input. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"coo_float32_3x4", "coo_int64_rank3", "coo_empty"})
    void theValidSeedsImport(String seed) throws IOException {
        long liveBefore = TestMemory.liveBytes(CPU);
        try (RootAllocator allocator = new RootAllocator(TensorIpcFuzzTest.ALLOCATOR_LIMIT);
                ArrowStreamReader reader = TensorIpc.openStream(new ByteArrayInputStream(
                        IpcSeeds.sparseStreams().get(seed)), allocator)) {
            VectorSchemaRoot batch = reader.getVectorSchemaRoot();
            assertTrue(reader.loadNextBatch());
            try (SparseTensor tensor = SparseImport.toSparseTensor(batch, CPU, CopyPolicy.NEVER)) {
                assertEquals(batch.getRowCount(), tensor.nnz());
            }
        }
        assertEquals(liveBefore, TestMemory.liveBytes(CPU));
    }

    private static void importOrRefuse(VectorSchemaRoot batch) {
        try (SparseTensor tensor = SparseImport.toSparseTensor(batch, CPU, CopyPolicy.NEVER);
                SparseValue value = tensor.toSparseValue(CopyPolicy.NEVER, Access.READ_ONLY)) {
            long[] indices = value.indices().toLongArray();
            assertEquals(tensor.nnz() * tensor.denseShape().rank(), indices.length);
            ByteBuffer values = value.values().asByteBuffer();
            long sum = 0;
            for (int i = 0; i < values.limit(); i++) {
                sum += values.get(i);
            }
            assertEquals(sum, sum);
        } catch (IllegalArgumentException | IndexOutOfBoundsException | UnsupportedDTypeException refused) {
            // ShapeMismatchException and DTypeMismatchException are IllegalArgumentExceptions.
            if (!thrownByTensorbridge(refused)) {
                throw refused;
            }
        }
    }

    /** Whether the library threw it on purpose, rather than letting an Arrow or JDK exception escape. */
    private static boolean thrownByTensorbridge(RuntimeException e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("org.tensorbridge.");
    }
}
