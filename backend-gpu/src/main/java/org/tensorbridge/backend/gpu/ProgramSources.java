package org.tensorbridge.backend.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.tensorbridge.DType;

/**
 * The OpenCL C source of each program: {@value #COMMON} (type-independent kernels from
 * {@code common.cl}) and one program per supported dtype, named by {@link DType#name()}, made of
 * {@code prelude.cl}, the type's macros, {@code typed.cl} and generated cast kernels to every supported
 * dtype. Generated fused kernels ({@link FusedSource}) get the same prelude and type macros through
 * {@link #fused}. Immutable and thread-safe.
 */
final class ProgramSources {
    static final String COMMON = "common";

    private final Set<DType> supported;
    private final boolean fp64;
    private final int tile;
    private final String prelude;
    private final String common;
    private final String typed;

    ProgramSources(Set<DType> supported, boolean fp64, int tile) {
        this.supported = Set.copyOf(supported);
        this.fp64 = fp64;
        this.tile = tile;
        this.prelude = resource("prelude.cl");
        this.common = resource("common.cl");
        this.typed = resource("typed.cl");
    }

    /** The work-group edge of the tiled matmul. */
    int tile() {
        return tile;
    }

    String source(String program) {
        if (program.equals(COMMON)) {
            return common;
        }
        DType dtype = DType.valueOf(program);
        if (!supported.contains(dtype)) {
            throw new IllegalArgumentException("no OpenCL program for unsupported dtype " + dtype.displayName());
        }
        ClType type = ClType.of(dtype);
        StringBuilder source = new StringBuilder();
        source.append(header()).append(prelude).append('\n').append(type.macros(tile)).append('\n').append(typed)
                .append('\n');
        for (DType to : DType.values()) {
            if (supported.contains(to)) {
                source.append(cast(type, ClType.of(to)));
            }
        }
        return source.toString();
    }

    /** The program of one generated fused {@code kernel} over {@code dtype}: the prelude, the type's macros, then it. */
    String fused(DType dtype, String kernel) {
        if (!supported.contains(dtype)) {
            throw new IllegalArgumentException("no fused OpenCL kernel for unsupported dtype " + dtype.displayName());
        }
        return header() + prelude + '\n' + ClType.of(dtype).macros(tile) + '\n' + kernel;
    }

    private String header() {
        return fp64 ? "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n#define HAS_FP64 1\n" : "";
    }

    /** The name of the kernel that casts to {@code target}, in the program of the source dtype. */
    static String castKernel(DType target) {
        return "cast_to_" + target.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String cast(ClType from, ClType to) {
        return "__kernel void " + castKernel(to.dtype()) + "(__global const S* a, __global " + to.storage()
                + "* r, const long n) {\n"
                + "    long i = get_global_id(0);\n"
                + "    if (i >= n) return;\n"
                + "    C x = LOAD(a, i);\n"
                + "    " + to.store("r", "i", from.convert("x", to)) + ";\n"
                + "}\n";
    }

    private static String resource(String name) {
        try (InputStream in = ProgramSources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("OpenCL source " + name + " is missing from the backend-gpu jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading OpenCL source " + name, e);
        }
    }
}
