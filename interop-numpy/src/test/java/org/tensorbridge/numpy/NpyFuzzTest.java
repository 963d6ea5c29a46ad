package org.tensorbridge.numpy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.HostArray;
import org.tensorbridge.Tensor;
import org.tensorbridge.spi.AbstractBackend;

/**
 * Any bytes given to the {@code .npy} reader give a tensor or {@link NpyFormatException}, never
 * another exception, and leave no memory behind. In {@code ./mvnw verify} this runs over the committed
 * corpus (src/test/resources/.../NpyFuzzTestInputs); to fuzz for the fixed time of {@code maxDuration}
 * (5 minutes; Jazzer 0.24 takes the duration from the annotation only), with the api and backend jars
 * instrumented too (Jazzer's default instruments only this module's {@code target/} classes):
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='org.tensorbridge.**' \
 *   ./mvnw -o -pl interop-numpy test -Dtest=NpyFuzzTest
 * </pre>
 * The corpus Jazzer grows goes to {@code interop-numpy/.cifuzz-corpus/} (git-ignored). A finding is
 * written to the inputs folder, where it stays as a regression case once fixed (rename it from
 * {@code crash-<sha1>} to say what it is).
 */
class NpyFuzzTest {
    private static final Backend CPU = Backends.get("cpu");

    @FuzzTest(maxDuration = "5m")
    void readGivesATensorOrNpyFormatException(byte[] bytes) throws IOException {
        long before = ((AbstractBackend) CPU).ledger().liveBlocks();
        try (Tensor tensor = Npy.read(new ByteArrayInputStream(bytes), CPU); HostArray host = tensor.toHost()) {
            assertEquals(tensor.shape().elementCount() * tensor.dtype().byteWidth(), host.byteSize());
        } catch (NpyFormatException documented) {
            // The documented refusal of a malformed file.
        }
        assertEquals(before, ((AbstractBackend) CPU).ledger().liveBlocks(), "a read left memory behind");
    }
}
