package org.tensorbridge.flight;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.ProviderStatus;

/**
 * The GPU backend for the tests that need a backend which cannot wrap host memory: skipped with the reason
 * where it is unavailable, unless {@code TENSORBRIDGE_REQUIRE_BACKENDS} lists {@code gpu} (as CI does), when
 * the test fails instead.
 */
final class GpuBackend {
    private GpuBackend() {
    }

    static Backend orSkip() {
        ProviderStatus status = Backends.list().stream().filter(s -> s.name().equals("gpu")).findFirst().orElse(null);
        if (status != null && status.isAvailable()) {
            return Backends.get("gpu");
        }
        String why = "the gpu backend is unavailable: " + (status == null ? "not on the class path" : status);
        String required = System.getenv("TENSORBRIDGE_REQUIRE_BACKENDS");
        if (required != null && Arrays.stream(required.split(",")).anyMatch(
                n -> n.trim().toLowerCase(Locale.ROOT).equals("gpu"))) {
            fail(why + " (TENSORBRIDGE_REQUIRE_BACKENDS requires it)");
        }
        Assumptions.abort(why);
        return null;
    }
}
