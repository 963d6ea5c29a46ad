package org.tensorbridge.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Raw JOCL helpers for the GPU baselines: finding the OpenCL device the GPU backend chose, by name, and
 * checking status codes (JOCL's own exceptions stay off, since that setting is global and the backend in
 * the same JVM checks codes itself). Stateless.
 */
final class OpenClDevices {
    private OpenClDevices() {
    }

    /** The first device named {@code name} of any platform; its platform is stored in {@code platform[0]}. */
    static cl_device_id named(String name, cl_platform_id[] platform) {
        int[] count = new int[1];
        check(CL.clGetPlatformIDs(0, null, count), "clGetPlatformIDs");
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs");
        List<String> seen = new ArrayList<>();
        for (cl_platform_id p : platforms) {
            int[] devices = new int[1];
            if (CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, 0, null, devices) != CL.CL_SUCCESS) {
                continue;
            }
            cl_device_id[] ids = new cl_device_id[devices[0]];
            check(CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, ids.length, ids, null), "clGetDeviceIDs");
            for (cl_device_id id : ids) {
                String found = deviceName(id);
                seen.add(found);
                if (found.equals(name)) {
                    platform[0] = p;
                    return id;
                }
            }
        }
        throw new IllegalStateException("no OpenCL device is named '" + name + "'; found " + seen);
    }

    private static String deviceName(cl_device_id device) {
        long[] size = new long[1];
        check(CL.clGetDeviceInfo(device, CL.CL_DEVICE_NAME, 0, null, size), "clGetDeviceInfo");
        byte[] bytes = new byte[(int) size[0]];
        check(CL.clGetDeviceInfo(device, CL.CL_DEVICE_NAME, bytes.length, Pointer.to(bytes), null), "clGetDeviceInfo");
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8).trim();
    }

    /** Throws naming {@code call} unless {@code status} is {@code CL_SUCCESS}. */
    static void check(int status, String call) {
        if (status != CL.CL_SUCCESS) {
            throw new IllegalStateException(call + " failed with " + CL.stringFor_errorCode(status));
        }
    }
}
