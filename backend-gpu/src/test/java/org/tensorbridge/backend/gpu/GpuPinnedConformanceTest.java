package org.tensorbridge.backend.gpu;

import org.tensorbridge.BackendProvider;
import org.tensorbridge.tck.BackendTck;

/**
 * The whole conformance kit against the backend with every host copy staged through pinned memory, as
 * on a discrete GPU, whatever the device here (PoCL leaves staging off by default): the kit's sharing,
 * independence, read-only and lifetime rules hold on that path too. Skipped without OpenCL.
 */
class GpuPinnedConformanceTest extends BackendTck {
    @Override
    protected BackendProvider provider() {
        return new GpuBackendProvider(JoclPlatformQuery::new, DeviceSelection::fromSystem, true);
    }
}
