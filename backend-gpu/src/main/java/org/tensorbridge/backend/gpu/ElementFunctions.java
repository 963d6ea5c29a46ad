package org.tensorbridge.backend.gpu;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.tensorbridge.DType;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;

/**
 * The OpenCL C of every elementwise operation this backend runs: one entry per operation, and the only
 * place an elementwise operation's arithmetic is written for the device. Each dtype's program defines
 * {@code C op_NAME(const C x[, const C y])} from the entry, and both the unfused kernels
 * ({@code ew_NAME_flat}, {@code ew_NAME_broadcast}) and every generated fused kernel call that function,
 * so fused and unfused values agree bit for bit by construction. Adding an elementwise operation to the
 * GPU is one entry here: the kernel registry, the programs and the fusion generator all read this table.
 *
 * <p>An entry holds two bodies, each either an expression or statements ending in a {@code return}:
 * <ul>
 *   <li>floating: over {@code x, y} of the compute type {@code C} ({@code float} for float16, bfloat16
 *       and float32, {@code double} for float64); the kernels round the result to the dtype once, as
 *       the unfused store or the fused chain's rounding does;</li>
 *   <li>integer: over {@code x, y} of the dtype's own type {@code C}, with {@code A} its unsigned
 *       accumulator ({@code uint} or {@code ulong}, so arithmetic wraps instead of being undefined) and
 *       {@code SIGNED} 1 for signed dtypes; null where the operation has no integer form (its dtype rule
 *       refuses integers before any kernel runs).</li>
 * </ul>
 * The semantics are those written in {@link Operations}: maximum and minimum as {@link Math#max} and
 * {@link Math#min} (NaN wins, -0 below +0); pow as C99 with {@code pow(1, y) = 1} and
 * {@code pow(-1, ±inf) = 1}, and as exact repeated squaring that wraps for integers (negative integer
 * exponents are refused by the operation's guard first); integer division guards 0 and {@code MIN / -1},
 * which trap on x86 (where PoCL runs) and would kill the JVM.
 *
 * <p>Immutable and thread-safe.
 */
final class ElementFunctions {
    /** Integer power by repeated squaring, wrapping in the accumulator; the exponent is never negative here. */
    private static final String INTEGER_POWER = """
            A result = 1;
            A square = (A) x;
            for (C e = y; e > 0; e >>= 1) {
                if (e & 1) result *= square;
                square *= square;
            }
            return (C) result;""";

    private static final Map<Operation, Entry> TABLE = table(
            new Entry(Operations.ADD, "x + y", "(C) ((A) x + (A) y)"),
            new Entry(Operations.SUBTRACT, "x - y", "(C) ((A) x - (A) y)"),
            new Entry(Operations.MULTIPLY, "x * y", "(C) ((A) x * (A) y)"),
            new Entry(Operations.DIVIDE, "x / y",
                    "y == 0 ? (C) 0 : (SIGNED && y == (C) -1) ? (C) ((A) 0 - (A) x) : (C) (x / y)"),
            new Entry(Operations.MAXIMUM, "isnan(x) ? x : (x == 0 && y == 0 && signbit(x)) ? y : x >= y ? x : y",
                    "x >= y ? x : y"),
            new Entry(Operations.MINIMUM, "isnan(x) ? x : (x == 0 && y == 0 && signbit(y)) ? y : x <= y ? x : y",
                    "x <= y ? x : y"),
            new Entry(Operations.POW, "(x == (C) 1 || (x == (C) -1 && isinf(y))) ? (C) 1 : pow(x, y)", INTEGER_POWER),
            new Entry(Operations.NEG, "-x", "(C) ((A) 0 - (A) x)"),
            new Entry(Operations.ABS, "fabs(x)", "x < 0 ? (C) ((A) 0 - (A) x) : x"),
            new Entry(Operations.EXP, "exp(x)", null),
            new Entry(Operations.LOG, "log(x)", null),
            new Entry(Operations.SQRT, "sqrt(x)", null),
            new Entry(Operations.TANH, "tanh(x)", null));

    private ElementFunctions() {
    }

    /**
     * One elementwise operation's OpenCL C.
     *
     * @param operation an elementwise operation of arity 1 or 2
     * @param floating the body on floating values
     * @param integer the body on integers, or null
     */
    record Entry(Operation operation, String floating, String integer) {
        /** True if this backend's programs define the operation on {@code dtype}. */
        boolean definedOn(DType dtype) {
            return dtype.isFloatingPoint() || (dtype.isInteger() && integer != null);
        }

        /** The name of the OpenCL C function, for example {@code op_add}. */
        String function() {
            return "op_" + operation.name();
        }

        /** The function's definition for {@code type}, which it must be {@linkplain #definedOn defined on}. */
        String definition(ClType type) {
            String body = type.dtype().isFloatingPoint() ? floating : integer;
            String statements = body.contains("return") ? body : "return " + body + ";";
            String parameters = operation.arity() == 1 ? "const C x" : "const C x, const C y";
            return "C " + function() + "(" + parameters + ") {\n    " + statements.replace("\n", "\n    ") + "\n}\n";
        }
    }

    private static Map<Operation, Entry> table(Entry... entries) {
        Map<Operation, Entry> table = new LinkedHashMap<>();
        for (Entry entry : entries) {
            Operation operation = entry.operation();
            if (!operation.isElementwise() || operation.arity() > 2 || table.put(operation, entry) != null) {
                throw new IllegalStateException(operation + " cannot be an entry of the GPU's elementwise table");
            }
        }
        return java.util.Collections.unmodifiableMap(table);
    }

    /** Every entry, in the table's order. */
    static Collection<Entry> all() {
        return TABLE.values();
    }

    /** The entry of {@code operation}, or null if this backend has no kernel for it. */
    static Entry of(Operation operation) {
        return TABLE.get(operation);
    }

    /** The dtypes among {@code supported} that {@code entry} runs on. */
    static Set<DType> dtypes(Entry entry, Set<DType> supported) {
        return supported.stream().filter(entry::definedOn).collect(Collectors.toUnmodifiableSet());
    }

    /** The functions of every entry defined on {@code type}, for the head of its programs. */
    static String definitions(ClType type) {
        StringBuilder source = new StringBuilder();
        for (Entry entry : all()) {
            if (entry.definedOn(type.dtype())) {
                source.append(entry.definition(type));
            }
        }
        return source.toString();
    }

    /** The unfused kernels of every entry defined on {@code type}: {@code typed.cl}'s kernel macros, expanded. */
    static String kernels(ClType type) {
        StringBuilder source = new StringBuilder();
        for (Entry entry : all()) {
            if (entry.definedOn(type.dtype())) {
                source.append(entry.operation().arity() == 1 ? "UNARY_KERNELS(" : "BINARY_KERNELS(")
                        .append(entry.operation().name()).append(")\n");
            }
        }
        return source.toString();
    }
}
