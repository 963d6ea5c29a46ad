package org.tensorbridge.backend.gpu;

import java.nio.charset.StandardCharsets;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

/**
 * Compiles OpenCL C source into a program for the backend's device, with the build options every
 * program of this backend shares: no fast-math, no contraction into fused multiply-adds
 * ({@code FP_CONTRACT OFF} in the sources), and correctly rounded float division where the device
 * offers it. Counts the programs it compiled.
 *
 * <p>Not thread-safe by itself: used only under the {@link ClContext} lock. The caller owns each
 * program it returns and releases it with {@code clReleaseProgram}.
 */
final class ProgramBuilder {
    private final cl_context context;
    private final DeviceInfo device;
    private int builds;

    ProgramBuilder(cl_context context, DeviceInfo device) {
        this.context = context;
        this.device = device;
    }

    /**
     * A program built from {@code source}; {@code name} names it in failures. Throws
     * {@link OpenClException} with the build log when the device's compiler rejects it.
     */
    cl_program build(String name, String source) {
        int[] status = new int[1];
        cl_program program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, status);
        ClStatus.check(status[0], "clCreateProgramWithSource " + name);
        String options = device.correctlyRoundedDivide() ? "-cl-fp32-correctly-rounded-divide-sqrt" : "";
        int built = CL.clBuildProgram(program, 1, new cl_device_id[] {device.device()}, options, null, null);
        builds++;
        if (built != CL.CL_SUCCESS) {
            String log = buildLog(program);
            CL.clReleaseProgram(program);
            throw new OpenClException("clBuildProgram of the " + name + " kernels failed on " + device.describe()
                    + " with " + ClStatus.name(built) + "; this device's OpenCL compiler rejects them. Choose another "
                    + "device with " + GpuBackendProvider.DEVICE_PROPERTY + ", and report the build log:\n" + log, built);
        }
        return program;
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(program, device.device(), CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
        if (size[0] <= 1) {
            return "(empty)";
        }
        byte[] log = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(program, device.device(), CL.CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        return new String(log, 0, log.length - 1, StandardCharsets.UTF_8);
    }

    /** Programs compiled so far, fused ones included; a failed build counts too. */
    int builds() {
        return builds;
    }
}
