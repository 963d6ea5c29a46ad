package org.tensorbridge.backend.gpu;

import java.util.Locale;
import org.jocl.CL;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.tensorbridge.Device;

/**
 * One OpenCL device as a platform query found it: where it is ({@code platformIndex:deviceIndex}), what
 * it is, and the limits the backend sizes kernels and tensors by. The ids are {@code null} in test
 * fakes. Immutable and thread-safe.
 */
record DeviceInfo(int platformIndex, int deviceIndex, cl_platform_id platform, cl_device_id device,
        String platformName, String platformVersion, String name, long type, String driverVersion,
        boolean fp64, boolean correctlyRoundedDivide, long maxAllocation, long maxWorkGroupSize) {

    /** True for a {@code CL_DEVICE_TYPE_GPU} device. */
    boolean isGpu() {
        return (type & CL.CL_DEVICE_TYPE_GPU) != 0;
    }

    /** {@code gpu}, {@code cpu}, {@code accelerator} or {@code other}. */
    String typeName() {
        if (isGpu()) {
            return "gpu";
        }
        if ((type & CL.CL_DEVICE_TYPE_CPU) != 0) {
            return "cpu";
        }
        if ((type & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return "accelerator";
        }
        return "other";
    }

    /** The api's description: a GPU is {@link Device.Kind#GPU}, any other OpenCL device an accelerator. */
    Device toDevice() {
        Device.Kind kind = isGpu() ? Device.Kind.GPU : Device.Kind.ACCELERATOR;
        String version = shortVersion(platformVersion);
        String platform = platformName + (version.isEmpty() ? "" : " (" + version + ")");
        return Device.accelerator(kind, name, platform, driverVersion);
    }

    /** The first four words of a platform version: {@code OpenCL 3.0 PoCL 3.1+debian}, {@code OpenCL 3.0 CUDA 12.4.131}. */
    static String shortVersion(String version) {
        String[] words = version.trim().split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(4, words.length))).trim();
    }

    /** For messages: {@code 0:1 NVIDIA H100 (gpu, NVIDIA CUDA)}. */
    String describe() {
        return platformIndex + ":" + deviceIndex + " " + name + " (" + typeName() + ", " + platformName + ")";
    }

    /** Lower-case text that a selection by name matches against. */
    String searchText() {
        return (name + " " + platformName).toLowerCase(Locale.ROOT);
    }
}
