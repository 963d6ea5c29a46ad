package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Says in the test report whether this run exercised OpenCL: passes where the backend is available,
 * is skipped with the reason (and the packages that fix it) where it is not, and fails instead when
 * {@code TENSORBRIDGE_REQUIRE_BACKENDS} lists {@code gpu}, so a machine that must run the GPU backend
 * cannot skip it silently. (The conformance kit's own classes skip as a whole, which reports no test.)
 */
class GpuAvailableHereTest {

    static boolean required() {
        String required = System.getenv("TENSORBRIDGE_REQUIRE_BACKENDS");
        return required != null && Arrays.stream(required.split(","))
                .anyMatch(name -> name.trim().toLowerCase(Locale.ROOT).equals(GpuBackend.NAME));
    }

    @Test
    void openClIsAvailableOrTheGpuTestsAreSkippedWithTheReason() {
        if (required()) {
            assertTrue(OpenCl.availability().isAvailable(), () -> "TENSORBRIDGE_REQUIRE_BACKENDS requires gpu, but "
                    + "it is unavailable: " + OpenCl.availability().reason());
        }
        OpenCl.assumeAvailable();
        System.out.println("tensorbridge backend-gpu tests run on " + OpenCl.deviceOrSkip().describe());
    }
}
