package org.tensorbridge.backend.gpu;

/**
 * {@link GpuOperationsTest} on the backend as it is on a device without double precision: float64 is not
 * declared, and floating sums and means accumulate in float (compared on small values, within 64 ulps).
 * Skipped without OpenCL.
 */
class GpuOperationsWithoutFloat64Test extends GpuOperationsTest {
    @Override
    GpuBackend openBackend() {
        return OpenCl.availability().isAvailable() ? (GpuBackend) OpenCl.withoutFloat64().create() : null;
    }
}
