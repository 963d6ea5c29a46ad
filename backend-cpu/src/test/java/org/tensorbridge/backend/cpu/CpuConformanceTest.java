package org.tensorbridge.backend.cpu;

import org.tensorbridge.BackendProvider;
import org.tensorbridge.tck.BackendTck;

/** Runs the conformance kit against the ND4J CPU backend. */
class CpuConformanceTest extends BackendTck {
    @Override
    protected BackendProvider provider() {
        return new CpuBackendProvider();
    }
}
