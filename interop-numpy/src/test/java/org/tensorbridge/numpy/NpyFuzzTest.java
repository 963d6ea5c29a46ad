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
 * corpus (src/test/resources/.../NpyFuzzTestInputs); to fuzz for a fixed time (60 s):
 * {@code JAZZER_FUZZ=1 ./mvnw -pl interop-numpy test -Dtest=NpyFuzzTest}. A finding is written to the
 * inputs folder, where it stays as a regression case once fixed.
 */
class NpyFuzzTest {
    private static final Backend CPU = Backends.get("cpu");

    @FuzzTest(maxDuration = "60s")
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
