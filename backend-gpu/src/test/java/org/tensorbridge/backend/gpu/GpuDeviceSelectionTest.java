package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Device;

/** Device choice over fake device lists: needs no OpenCL. */
class GpuDeviceSelectionTest {
    private static final DeviceInfo POCL = device(0, 0, "pthread-haswell-AMD EPYC", "Portable Computing Language",
            CL.CL_DEVICE_TYPE_CPU);
    private static final DeviceInfo H100 = device(1, 0, "NVIDIA H100 80GB HBM3", "NVIDIA CUDA", CL.CL_DEVICE_TYPE_GPU);
    private static final DeviceInfo A100 = device(1, 1, "NVIDIA A100-SXM4-40GB", "NVIDIA CUDA", CL.CL_DEVICE_TYPE_GPU);
    private static final DeviceInfo FPGA = device(2, 0, "Intel FPGA Emulation Device", "Intel FPGA",
            CL.CL_DEVICE_TYPE_ACCELERATOR);
    private static final List<DeviceInfo> ALL = List.of(POCL, H100, A100, FPGA);

    static DeviceInfo device(int p, int d, String name, String platform, long type) {
        return new DeviceInfo(p, d, null, null, platform, "OpenCL 3.0 " + platform + " 1.2.3 extra words", name, type,
                "1.2.3", true, true, 1L << 30, 1024);
    }

    private static DeviceSelection selection(String property, String environment) {
        Map<String, String> properties = property == null ? Map.of()
                : Map.of(GpuBackendProvider.DEVICE_PROPERTY, property);
        Map<String, String> env = environment == null ? Map.of()
                : Map.of(GpuBackendProvider.DEVICE_ENVIRONMENT, environment);
        return DeviceSelection.from(properties::get, env::get);
    }

    @Test
    void autoPrefersTheFirstGpuOverAnEarlierCpuDevice() {
        assertEquals(H100, selection(null, null).choose(ALL));
    }

    @Test
    void autoFallsBackToAnyDeviceWithoutGpu() {
        assertEquals(POCL, selection(null, null).choose(List.of(POCL, FPGA)));
    }

    @Test
    void typeNamesSelectByOpenClType() {
        assertEquals(POCL, selection("cpu", null).choose(ALL));
        assertEquals(H100, selection("GPU", null).choose(ALL));
        assertEquals(FPGA, selection("accelerator", null).choose(ALL));
        assertEquals(POCL, selection("any", null).choose(ALL));
    }

    @Test
    void indicesSelectPlatformAndDevice() {
        assertEquals(A100, selection("1:1", null).choose(ALL));
    }

    @Test
    void textSelectsByDeviceOrPlatformName() {
        assertEquals(A100, selection("a100", null).choose(ALL));
        assertEquals(POCL, selection("portable", null).choose(ALL));
    }

    @Test
    void propertyWinsOverEnvironment() {
        assertEquals(A100, selection("a100", "cpu").choose(ALL));
        assertEquals(POCL, selection(null, "cpu").choose(ALL));
        assertEquals(H100, selection("  ", "  ").choose(ALL), "blank values mean auto");
    }

    @Test
    void aRequestNoDeviceMeetsListsTheDevicesInsteadOfFallingBack() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> selection(null, "gpu").choose(List.of(POCL)));
        assertTrue(e.getMessage().contains(GpuBackendProvider.DEVICE_ENVIRONMENT), e.getMessage());
        assertTrue(e.getMessage().contains("0:0 pthread-haswell-AMD EPYC (cpu, Portable Computing Language)"),
                e.getMessage());
        assertTrue(e.getMessage().contains(GpuBackendProvider.DEVICE_PROPERTY), e.getMessage());
        assertThrows(IllegalStateException.class, () -> selection("7:0", null).choose(ALL));
    }

    @Test
    void deviceDescribesNamePlatformAndDriver() {
        Device gpu = H100.toDevice();
        assertEquals(Device.Kind.GPU, gpu.kind());
        assertEquals("NVIDIA H100 80GB HBM3", gpu.name());
        assertEquals("NVIDIA CUDA (OpenCL 3.0 NVIDIA CUDA)", gpu.platform());
        assertEquals("1.2.3", gpu.driver());
        assertEquals(false, gpu.hostAccessible());
        assertEquals(Device.Kind.ACCELERATOR, POCL.toDevice().kind(), "a CPU OpenCL device is an accelerator");
    }

    @Test
    void tileFitsTheWorkGroupLimit() {
        assertEquals(16, GpuBackend.tile(H100));
        DeviceInfo small = new DeviceInfo(0, 0, null, null, "p", "", "small", CL.CL_DEVICE_TYPE_GPU, "1", false, false,
                1 << 20, 64);
        assertEquals(8, GpuBackend.tile(small));
        assertEquals(false, GpuBackend.supportedDTypes(small).contains(org.tensorbridge.DType.FLOAT64),
                "float64 is declared only with double precision");
    }
}
