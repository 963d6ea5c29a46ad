package org.tensorbridge.backend.gpu;

import java.util.HashMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * The fixed programs, compiled once on first use, and their kernels created once: a program per dtype
 * and one of type-independent kernels (see {@link ProgramSources}), built by {@link ProgramBuilder}.
 * Generated fused kernels have their own bounded cache ({@link FusedCache}).
 *
 * <p>Not thread-safe by itself: used only under the {@link ClContext} lock. Lifetime: {@link #close()}
 * releases every kernel and program.
 */
final class ProgramCache implements AutoCloseable {
    private final ProgramBuilder builder;
    private final ProgramSources sources;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();

    ProgramCache(ProgramBuilder builder, ProgramSources sources) {
        this.builder = builder;
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
        if (program == null) {
            program = builder.build(name, sources.source(name));
            programs.put(name, program);
        }
        return program;
    }

    /** The work-group edge of the tiled matmul kernel. */
    int tile() {
        return sources.tile();
    }

    /** Programs compiled so far, fused ones included; each fixed program is compiled once. */
    int builds() {
        return builder.builds();
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
