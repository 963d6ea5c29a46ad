package org.tensorbridge.backend.gpu;

import org.tensorbridge.TensorBridgeException;

/**
 * An OpenCL call of the GPU backend failed: the message names the call, the OpenCL error
 * ({@code CL_MEM_OBJECT_ALLOCATION_FAILURE}, {@code CL_BUILD_PROGRAM_FAILURE} with the build log, ...)
 * and what to do about it. Device memory exhaustion is the common case: close tensors you no longer
 * need, or use smaller ones.
 *
 * <p>Diagnostic code {@value #CODE}. Immutable.
 */
public final class OpenClException extends IllegalStateException implements TensorBridgeException {
    private static final long serialVersionUID = 1L;

    /** The stable diagnostic code of this exception. */
    public static final String CODE = "TB-GPU-OPENCL";

    private final int errorCode;

    /**
     * @param message the call that failed, the error and what to do
     * @param errorCode the OpenCL error code, for example {@code -4}
     */
    public OpenClException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    /** The OpenCL error code the call returned (negative), or 0 if the failure was not an OpenCL status. */
    public int errorCode() {
        return errorCode;
    }

    @Override
    public String code() {
        return CODE;
    }
}
