package org.tensorbridge.backend.gpu;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * Programs compiled once, on first use, and their kernels created once: a program per dtype and one
 * of type-independent kernels (see {@link ProgramSources}). Build options keep IEEE semantics: no
 * fast-math, no contraction into fused multiply-adds ({@code FP_CONTRACT OFF} in the sources), and
 * correctly rounded float division where the device offers it.
 *
 * <p>Not thread-safe by itself: used only under the {@link ClContext} lock. Lifetime: {@link #close()}
 * releases every kernel and program.
 */
final class ProgramCache implements AutoCloseable {
    private final cl_context context;
    private final DeviceInfo device;
    private final ProgramSources sources;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private int builds;

    ProgramCache(cl_context context, DeviceInfo device, ProgramSources sources) {
        this.context = context;
        this.device = device;
        this.sources = sources;
    }

    cl_kernel kernel(String program, String name) {
        String key = program + "/" + name;
        cl_kernel kernel = kernels.get(key);
        if (kernel == null) {
            int[] status = new int[1];
            kernel = CL.clCreateKernel(program(program), name, status);
            ClStatus.check(status[0], "clCreateKernel " + key);
            kernels.put(key, kernel);
        }
        return kernel;
    }

    private cl_program program(String name) {
        cl_program program = programs.get(name);
        if (program != null) {
            return program;
        }
        String source = sources.source(name);
        int[] status = new int[1];
        program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, status);
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
        programs.put(name, program);
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

    /** The work-group edge of the tiled matmul kernel. */
    int tile() {
        return sources.tile();
    }

    /** Programs compiled so far; each program is compiled once. */
    int builds() {
        return builds;
    }

    int programCount() {
        return programs.size();
    }

    int kernelCount() {
        return kernels.size();
    }

    @Override
    public void close() {
        kernels.values().forEach(CL::clReleaseKernel);
        kernels.clear();
        programs.values().forEach(CL::clReleaseProgram);
        programs.clear();
    }
}
