package org.tensorbridge.backend.gpu;

import org.tensorbridge.BackendProvider;
import org.tensorbridge.tck.BackendTck;

/**
 * The whole conformance kit against the backend as it is on a device without double precision: the
 * real device with {@code cl_khr_fp64} masked, so {@code float64} is not declared and rule 4.2 checks
 * its refusal, and the programs are compiled without double support. Skipped without OpenCL.
 */
class GpuWithoutFloat64ConformanceTest extends BackendTck {
    @Override
    protected BackendProvider provider() {
        return OpenCl.withoutFloat64();
    }
}
