package org.tensorbridge.backend.cpu;

import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;
import org.tensorbridge.tck.BackendTck;

/**
 * Runs the conformance kit against the CPU backend with every elementwise op sent to ND4J: the kit's
 * tensors are small, so {@link CpuConformanceTest} exercises the Java kernels and this one ND4J's.
 */
class CpuNd4jKernelsConformanceTest extends BackendTck {
    @Override
    protected BackendProvider provider() {
        CpuBackendProvider real = new CpuBackendProvider();
        return new BackendProvider() {
            @Override
            public String name() {
                return real.name();
            }

            @Override
            public int priority() {
                return real.priority();
            }

            @Override
            public Availability probe() {
                return real.probe();
            }

            @Override
            public Backend create() {
                return new CpuBackend(0);
            }
        };
    }
}
