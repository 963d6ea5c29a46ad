package org.tensorbridge.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.HostArray;
import org.tensorbridge.ProviderStatus;
import org.tensorbridge.Tensor;

/**
 * The CPU backend (ND4J), the reference backend and the TensorFlow backend load and compute in one JVM, on the
 * one JavaCPP the parent pins; the GPU backend joins when its provider is on the class path and an OpenCL device
 * is there. Set {@code TENSORBRIDGE_REQUIRE_BACKENDS} to make a missing one fail instead of being left out.
 */
class BackendsSideBySideTest {
    @Test
    void oneOperationOnEachBackendInOneJvm() throws java.io.IOException {
        List<String> wanted = new ArrayList<>(List.of("cpu", "reference", "tensorflow"));
        String required = System.getenv().getOrDefault("TENSORBRIDGE_REQUIRE_BACKENDS", "");
        for (ProviderStatus status : Backends.list()) {
            if (status.name().equals("gpu") && (status.isAvailable() || required.contains("gpu"))) {
                wanted.add("gpu");
            }
        }
        for (String name : wanted) {
            Backend backend = Backends.get(name);
            try (Tensor a = backend.constant(new float[] {1, 2, 3}, 3); Tensor b = backend.constant(new float[] {4, 5, 6}, 3);
                    Tensor sum = a.add(b); HostArray host = sum.toHost()) {
                assertArrayEquals(new float[] {5, 7, 9}, host.toFloatArray(), name);
            }
        }
        assertEquals("1.5.11", Loader.getVersion(), "the JavaCPP that ND4J and TensorFlow Java both load");
        assertTrue(wanted.containsAll(List.of("cpu", "reference", "tensorflow")));
    }
}
