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
 * {@code prelude.cl}, the type's macros, the element functions of {@link ElementFunctions},
 * {@code typed.cl}, the unfused elementwise kernels of every entry of that table, and generated cast
 * kernels to every supported dtype. Generated fused kernels ({@link FusedSource}) get the same prelude,
 * type macros and element functions through {@link #fused}, so they compute what the unfused kernels
 * compute. Immutable and thread-safe.
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
        source.append(head(type)).append(typed).append('\n').append(ElementFunctions.kernels(type));
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
        return head(ClType.of(dtype)) + kernel;
    }

    /** What every program of {@code type} starts with: extensions, the prelude, the type's macros and element functions. */
    private String head(ClType type) {
        return header() + prelude + '\n' + type.macros(tile) + '\n' + ElementFunctions.definitions(type) + '\n';
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
