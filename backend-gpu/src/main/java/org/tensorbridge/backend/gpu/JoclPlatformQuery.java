package org.tensorbridge.backend.gpu;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * The {@link PlatformQuery} of the real OpenCL installation, through JOCL. The first call loads JOCL's
 * native library and, through it, {@code libOpenCL.so} (the ICD loader), which then loads the drivers
 * listed in {@code /etc/OpenCL/vendors}. Stateless and thread-safe.
 */
final class JoclPlatformQuery implements PlatformQuery {
    /** {@code CL_PLATFORM_NOT_FOUND_KHR}: the ICD loader found no driver. */
    static final int PLATFORM_NOT_FOUND = -1001;

    /**
     * The first failure to load OpenCL in this JVM. A class whose initialisation failed only says
     * "Could not initialize class org.jocl.CL" afterwards, so later failures repeat the first one's reason.
     */
    private static final AtomicReference<LinkageError> FIRST_LOAD_FAILURE = new AtomicReference<>();

    @Override
    public List<DeviceInfo> devices() {
        try {
            return query();
        } catch (LinkageError e) {
            FIRST_LOAD_FAILURE.compareAndSet(null, e);
            LinkageError first = FIRST_LOAD_FAILURE.get();
            if (first != e && e instanceof NoClassDefFoundError) {
                NoClassDefFoundError again = new NoClassDefFoundError(e.getMessage() + ", which first failed with "
                        + first);
                again.initCause(e);
                throw again;
            }
            throw e;
        }
    }

    private List<DeviceInfo> query() {
        int[] count = new int[1];
        int status = CL.clGetPlatformIDs(0, null, count);
        if (status == PLATFORM_NOT_FOUND || (status == CL.CL_SUCCESS && count[0] == 0)) {
            return List.of();
        }
        ClStatus.check(status, "clGetPlatformIDs");
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        ClStatus.check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs");
        List<DeviceInfo> devices = new ArrayList<>();
        for (int p = 0; p < platforms.length; p++) {
            int[] deviceCount = new int[1];
            status = CL.clGetDeviceIDs(platforms[p], CL.CL_DEVICE_TYPE_ALL, 0, null, deviceCount);
            if (status == CL.CL_DEVICE_NOT_FOUND || deviceCount[0] == 0) {
                continue;
            }
            ClStatus.check(status, "clGetDeviceIDs");
            cl_device_id[] ids = new cl_device_id[deviceCount[0]];
            ClStatus.check(CL.clGetDeviceIDs(platforms[p], CL.CL_DEVICE_TYPE_ALL, ids.length, ids, null),
                    "clGetDeviceIDs");
            String platformName = platformString(platforms[p], CL.CL_PLATFORM_NAME);
            String platformVersion = platformString(platforms[p], CL.CL_PLATFORM_VERSION);
            for (int d = 0; d < ids.length; d++) {
                devices.add(describe(p, d, platforms[p], ids[d], platformName, platformVersion));
            }
        }
        return List.copyOf(devices);
    }

    private static DeviceInfo describe(int p, int d, cl_platform_id platform, cl_device_id device, String platformName,
            String platformVersion) {
        String extensions = deviceString(device, CL.CL_DEVICE_EXTENSIONS);
        long doubleConfig = deviceLong(device, CL.CL_DEVICE_DOUBLE_FP_CONFIG);
        boolean fp64 = doubleConfig != 0 || extensions.contains("cl_khr_fp64");
        long singleConfig = deviceLong(device, CL.CL_DEVICE_SINGLE_FP_CONFIG);
        boolean exactDivide = (singleConfig & CL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
        return new DeviceInfo(p, d, platform, device, platformName, platformVersion,
                deviceString(device, CL.CL_DEVICE_NAME), deviceLong(device, CL.CL_DEVICE_TYPE),
                deviceString(device, CL.CL_DRIVER_VERSION), fp64, exactDivide,
                deviceLong(device, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE), deviceSize(device, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE));
    }

    private static String platformString(cl_platform_id platform, int parameter) {
        long[] size = new long[1];
        ClStatus.check(CL.clGetPlatformInfo(platform, parameter, 0, null, size), "clGetPlatformInfo");
        byte[] bytes = new byte[(int) size[0]];
        ClStatus.check(CL.clGetPlatformInfo(platform, parameter, bytes.length, Pointer.to(bytes), null),
                "clGetPlatformInfo");
        return text(bytes);
    }

    static String deviceString(cl_device_id device, int parameter) {
        long[] size = new long[1];
        ClStatus.check(CL.clGetDeviceInfo(device, parameter, 0, null, size), "clGetDeviceInfo");
        byte[] bytes = new byte[(int) size[0]];
        ClStatus.check(CL.clGetDeviceInfo(device, parameter, bytes.length, Pointer.to(bytes), null), "clGetDeviceInfo");
        return text(bytes);
    }

    /** A {@code cl_ulong} or {@code cl_bitfield} parameter; 0 if the device does not answer it. */
    private static long deviceLong(cl_device_id device, int parameter) {
        long[] value = new long[1];
        int status = CL.clGetDeviceInfo(device, parameter, Sizeof.cl_ulong, Pointer.to(value), null);
        return status == CL.CL_SUCCESS ? value[0] : 0;
    }

    /** A {@code size_t} parameter. */
    private static long deviceSize(cl_device_id device, int parameter) {
        long[] value = new long[1];
        ClStatus.check(CL.clGetDeviceInfo(device, parameter, Sizeof.size_t, Pointer.to(value), null),
                "clGetDeviceInfo");
        return value[0];
    }

    private static String text(byte[] bytes) {
        int length = bytes.length;
        while (length > 0 && bytes[length - 1] == 0) {
            length--;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8).trim();
    }
}
