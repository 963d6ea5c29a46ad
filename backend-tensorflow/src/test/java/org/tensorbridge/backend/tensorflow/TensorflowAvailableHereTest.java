package org.tensorbridge.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Availability;

/**
 * Says in the test report whether TensorFlow's native library loaded: passes where it did, is skipped with the
 * reason where it did not, and fails instead when {@code TENSORBRIDGE_REQUIRE_BACKENDS} lists
 * {@code tensorflow}, so CI cannot skip the backend silently (the kit's classes skip as a whole otherwise).
 */
class TensorflowAvailableHereTest {
    @Test
    void tensorflowLoadsOrItsTestsAreSkippedWithTheReason() {
        Availability availability = new TensorflowBackendProvider().probe();
        String required = System.getenv().getOrDefault("TENSORBRIDGE_REQUIRE_BACKENDS", "");
        if (Arrays.stream(required.split(",")).anyMatch(name -> name.trim().equals(TensorflowBackend.NAME))) {
            assertTrue(availability.isAvailable(), () -> "TENSORBRIDGE_REQUIRE_BACKENDS requires tensorflow, but it is "
                    + "unavailable: " + availability.reason());
        }
        assumeTrue(availability.isAvailable(), availability::reason);
    }
}
