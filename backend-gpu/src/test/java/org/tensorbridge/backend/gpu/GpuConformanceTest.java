package org.tensorbridge.backend.gpu;

import org.tensorbridge.BackendProvider;
import org.tensorbridge.tck.BackendTck;

/**
 * Runs the whole conformance kit against the OpenCL backend on the device the provider selects (PoCL on
 * the CPU where there is no GPU). Without OpenCL the kit skips every test with the probe's reason.
 */
class GpuConformanceTest extends BackendTck {
    @Override
    protected BackendProvider provider() {
        return new GpuBackendProvider();
    }
}
