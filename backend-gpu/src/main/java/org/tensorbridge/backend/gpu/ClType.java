package org.tensorbridge.backend.gpu;

import org.tensorbridge.DType;

/**
 * How one {@link DType} looks in OpenCL C: the storage type of its elements, the type kernels compute
 * in, the accumulator of sums of products, and the expressions that load, store and combine elements.
 * float16 and bfloat16 are stored as {@code ushort} bits and computed in {@code float} with bit-exact
 * conversions (see {@code prelude.cl}), so they need no {@code cl_khr_fp16}.
 *
 * <p>Immutable and thread-safe.
 */
enum ClType {
    BOOL(DType.BOOL, "uchar", "uchar", "uint", Kind.BOOL),
    INT8(DType.INT8, "char", "char", "uint", Kind.SIGNED),
    UINT8(DType.UINT8, "uchar", "uchar", "uint", Kind.UNSIGNED),
    INT16(DType.INT16, "short", "short", "uint", Kind.SIGNED),
    INT32(DType.INT32, "int", "int", "uint", Kind.SIGNED),
    INT64(DType.INT64, "long", "long", "ulong", Kind.SIGNED),
    FLOAT16(DType.FLOAT16, "ushort", "float", "float", Kind.HALF),
    BFLOAT16(DType.BFLOAT16, "ushort", "float", "float", Kind.BRAIN),
    FLOAT32(DType.FLOAT32, "float", "float", "float", Kind.FLOAT),
    FLOAT64(DType.FLOAT64, "double", "double", "double", Kind.FLOAT);

    private enum Kind { BOOL, SIGNED, UNSIGNED, HALF, BRAIN, FLOAT }

    private final DType dtype;
    private final String storage;
    private final String compute;
    private final String accumulator;
    private final Kind kind;

    ClType(DType dtype, String storage, String compute, String accumulator, Kind kind) {
        this.dtype = dtype;
        this.storage = storage;
        this.compute = compute;
        this.accumulator = accumulator;
        this.kind = kind;
    }

    static ClType of(DType dtype) {
        return values()[dtype.ordinal()];
    }

    DType dtype() {
        return dtype;
    }

    /** The OpenCL C type of a stored element. */
    String storage() {
        return storage;
    }

    /** The OpenCL C type kernels compute in. */
    String compute() {
        return compute;
    }

    /** {@code value} (of the compute type) stored at {@code pointer[index]}. */
    String store(String pointer, String index, String value) {
        return switch (kind) {
            case BOOL -> "(" + pointer + ")[" + index + "] = (uchar) ((" + value + ") != 0)";
            case HALF -> "(" + pointer + ")[" + index + "] = f2h(" + value + ")";
            case BRAIN -> "(" + pointer + ")[" + index + "] = f2bf(" + value + ")";
            default -> "(" + pointer + ")[" + index + "] = (" + value + ")";
        };
    }

    /** The element at {@code pointer[index]} as the compute type. */
    String load(String pointer, String index) {
        return switch (kind) {
            case BOOL -> "((uchar) ((" + pointer + ")[" + index + "] != 0))";
            case HALF -> "h2f((" + pointer + ")[" + index + "])";
            case BRAIN -> "bf2f((" + pointer + ")[" + index + "])";
            default -> "((" + pointer + ")[" + index + "])";
        };
    }

    /** A stored element given by value (a kernel argument of the storage type) as the compute type. */
    String value(String stored) {
        return switch (kind) {
            case BOOL -> "((uchar) ((" + stored + ") != 0))";
            case HALF -> "h2f(" + stored + ")";
            case BRAIN -> "bf2f(" + stored + ")";
            default -> "(" + stored + ")";
        };
    }

    /** A compute value rounded to what storing and loading it gives. */
    String round(String value) {
        return switch (kind) {
            case HALF -> "h2f(f2h(" + value + "))";
            case BRAIN -> "bf2f(f2bf(" + value + "))";
            default -> "(" + value + ")";
        };
    }

    /**
     * The {@code #define}s typed.cl and the element functions ({@link ElementFunctions}) expect. Integer
     * arithmetic runs in the unsigned accumulator {@code A}, so it wraps like Java's instead of being
     * undefined. Reductions accumulate sums in {@code RACC}: the accumulator for integers (wrapping once
     * is wrapping at every step), {@code double} for floating dtypes where the device has it (so sums
     * and means round once, as the reference's do) and {@code RSTORE} rounds the total to the dtype once.
     */
    String macros(int tile) {
        StringBuilder m = new StringBuilder();
        m.append("#define S ").append(storage).append('\n');
        m.append("#define C ").append(compute).append('\n');
        m.append("#define A ").append(accumulator).append('\n');
        m.append("#define LOAD(p, i) ").append(load("p", "i")).append('\n');
        m.append("#define STORE(p, i, v) ").append(store("p", "i", "v")).append('\n');
        m.append("#define TILE ").append(tile).append('\n');
        m.append("#define SIGNED ").append(kind == Kind.SIGNED ? 1 : 0).append('\n');
        switch (kind) {
            case BOOL -> m.append("#define SUM_STEP(x, y) ((uchar) ((x) | (y)))\n");
            case SIGNED, UNSIGNED -> {
                m.append("#define NUMERIC 1\n");
                m.append("#define SUM_STEP(x, y) ((C) ((A) (x) + (A) (y)))\n");
                m.append("#define MAC(acc, x, y) ((acc) + (A) (x) * (A) (y))\n");
                m.append("#define RACC A\n");
                m.append("#define RSTORE(p, i, v) STORE(p, i, (C) (v))\n");
            }
            default -> {
                m.append("#define NUMERIC 1\n");
                m.append("#define SUM_STEP(x, y) ").append(round("(x) + (y)")).append('\n');
                m.append("#define MAC(acc, x, y) ").append(round("(acc) + (x) * (y)")).append('\n');
                m.append(reductionMacros());
            }
        }
        return m.toString();
    }

    private String reductionMacros() {
        if (this == FLOAT64) {
            return "#define RACC double\n#define RSTORE(p, i, v) ((p)[i] = (v))\n";
        }
        String narrow = this == FLOAT32 ? "(p)[i] = (float) (v)" : store("p", "i", "(v)");
        String fromDouble = this == FLOAT32 ? "(p)[i] = (float) (v)" : store("p", "i", "odd_float_from_double(v)");
        return "#ifdef HAS_FP64\n#define RACC double\n#define RSTORE(p, i, v) (" + fromDouble + ")\n#else\n"
                + "#define RACC float\n#define RSTORE(p, i, v) (" + narrow + ")\n#endif\n";
    }

    /**
     * The OpenCL C expression that converts {@code x}, a compute value of this type, to {@code target}'s
     * compute type as Java does: floating to integer truncates toward zero and saturates (NaN gives 0),
     * narrower integers keep the low bits of the {@code int} result, anything to bool is {@code != 0},
     * and rounding to float16 or bfloat16 happens once.
     */
    String convert(String x, ClType target) {
        boolean floating = kind == Kind.HALF || kind == Kind.BRAIN || kind == Kind.FLOAT;
        return switch (target.kind) {
            case BOOL -> "((" + x + ") != 0)";
            case SIGNED, UNSIGNED -> {
                if (!floating) {
                    yield "((" + target.compute + ") (" + x + "))";
                }
                // The spec makes a saturating conversion of NaN 0, but NVIDIA's OpenCL gives LONG_MIN for
                // convert_long_sat_rtz(NaN) (seen on an H100, driver 580): NaN is handled here, as Java does.
                if (target == INT64) {
                    yield "(isnan(" + x + ") ? 0L : convert_long_sat_rtz(" + x + "))";
                }
                yield "((" + target.compute + ") (isnan(" + x + ") ? 0 : convert_int_sat_rtz(" + x + ")))";
            }
            case HALF, BRAIN -> {
                if (this == FLOAT64) {
                    yield "odd_float_from_double(" + x + ")";
                }
                if (this == INT32 || this == INT64) {
                    yield "odd_float_from_long((long) (" + x + "))";
                }
                yield "((float) (" + x + "))";
            }
            case FLOAT -> "convert_" + target.compute + "(" + x + ")";
        };
    }
}
