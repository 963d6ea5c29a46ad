package org.tensorbridge.backend.gpu;

import org.jocl.CL;

/**
 * Turns OpenCL status codes into {@link OpenClException}s. JOCL's own exceptions are left disabled
 * (they are a JVM-wide switch that other JOCL users would see); every call's status is checked here.
 * Stateless and thread-safe.
 */
final class ClStatus {
    private ClStatus() {
    }

    /** Throws if {@code status} is not {@code CL_SUCCESS}. */
    static void check(int status, String call) {
        if (status != CL.CL_SUCCESS) {
            throw failure(status, call);
        }
    }

    static OpenClException failure(int status, String call) {
        return new OpenClException(call + " failed with " + name(status) + " (" + status + ")" + advice(status), status);
    }

    static String name(int status) {
        try {
            return CL.stringFor_errorCode(status);
        } catch (RuntimeException | LinkageError e) {
            return "OpenCL error";
        }
    }

    private static String advice(int status) {
        return switch (status) {
            case CL.CL_MEM_OBJECT_ALLOCATION_FAILURE, CL.CL_OUT_OF_RESOURCES, CL.CL_OUT_OF_HOST_MEMORY,
                    CL.CL_INVALID_BUFFER_SIZE -> "; the device is out of memory. Close tensors you no longer need, or "
                    + "use smaller ones";
            case CL.CL_DEVICE_NOT_AVAILABLE -> "; the device is busy or was removed. Choose another with "
                    + GpuBackendProvider.DEVICE_PROPERTY;
            default -> "; this is a driver or backend problem. Report it with the device (Backend.device()) and "
                    + "the operation";
        };
    }
}
