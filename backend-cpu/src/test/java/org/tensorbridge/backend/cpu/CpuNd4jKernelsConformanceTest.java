package org.tensorbridge.backend.cpu;

import org.junit.jupiter.api.AfterAll;
import org.tensorbridge.BackendProvider;
import org.tensorbridge.tck.BackendTck;

/**
 * Runs the conformance kit against the CPU backend with every elementwise op sent to ND4J: the kit's
 * tensors are small, so {@link CpuConformanceTest} exercises the Java kernels and this one ND4J's. The
 * registered provider is used as users get it (the discovery rule checks it); the system property it
 * reads for the Java kernels' limit is set to 0 for this class only.
 */
class CpuNd4jKernelsConformanceTest extends BackendTck {
    private static final String LIMIT = "tensorbridge.cpu.javaKernelMaxElements";

    @Override
    protected BackendProvider provider() {
        System.setProperty(LIMIT, "0");
        return new CpuBackendProvider();
    }

    @AfterAll
    static void restoreTheLimit() {
        System.clearProperty(LIMIT);
    }
}
