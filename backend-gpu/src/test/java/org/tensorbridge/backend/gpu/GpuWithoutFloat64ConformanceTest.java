package org.tensorbridge.backend.gpu;

import java.util.List;
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
        return new GpuBackendProvider(() -> () -> withoutFp64(new JoclPlatformQuery().devices()),
                DeviceSelection::fromSystem);
    }

    private static List<DeviceInfo> withoutFp64(List<DeviceInfo> devices) {
        return devices.stream().map(d -> new DeviceInfo(d.platformIndex(), d.deviceIndex(), d.platform(), d.device(),
                d.platformName(), d.platformVersion(), d.name(), d.type(), d.driverVersion(), false,
                d.correctlyRoundedDivide(), d.maxAllocation(), d.maxWorkGroupSize())).toList();
    }
}
