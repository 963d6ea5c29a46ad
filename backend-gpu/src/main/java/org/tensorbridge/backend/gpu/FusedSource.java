package org.tensorbridge.backend.gpu;

import java.util.ArrayList;
import java.util.List;
import org.tensorbridge.DType;
import org.tensorbridge.graph.FusedExpression;

/**
 * Generates the OpenCL C kernel of one fused expression for one dtype: one work-item per element
 * reads each input it uses once, evaluates the expression in registers (in the compute type, so
 * float16 and bfloat16 in {@code float}) by calling each operation's {@link ElementFunctions} function,
 * and writes the result once.
 *
 * <p>The kernel is {@code fused(x0 .. x(k-1), s0 .. s(m-1), out, n)}: the {@code k} inputs as
 * {@code __global const S*}, the {@code m} scalars by value in the storage type {@code S} (so one
 * compiled kernel serves every scalar value of a signature), the result, and the element count. Scalars
 * are numbered in the order {@link #scalars} lists them: depth first, operands in order.
 *
 * <p>Every intermediate is rounded to the dtype as storing and reloading it would be (a no-op for
 * float32 and float64), so the result is bit for bit what running the operations one kernel at a time
 * gives. Not thread-safe; one per generated kernel (the static methods are stateless).
 */
final class FusedSource {
    private final ClType type;
    private final StringBuilder body = new StringBuilder();
    private final boolean[] loaded;
    private int temporaries;
    private int scalars;

    private FusedSource(ClType type, int inputs) {
        this.type = type;
        this.loaded = new boolean[inputs];
    }

    /** The cache key: dtype, input count and the expression's signature (its structure without scalar values). */
    static String key(FusedExpression expression, int inputs, DType dtype) {
        return dtype.name() + "/" + inputs + "/" + expression.signature();
    }

    /** True if every operation of {@code expression} has an entry in {@link ElementFunctions}. */
    static boolean covered(FusedExpression expression) {
        if (expression instanceof FusedExpression.Apply apply) {
            return ElementFunctions.of(apply.operation()) != null
                    && apply.operands().stream().allMatch(FusedSource::covered);
        }
        return true;
    }

    /** The number of inputs {@code expression} reads: one more than its largest input index. */
    static int inputCount(FusedExpression expression) {
        if (expression instanceof FusedExpression.Input input) {
            return input.index() + 1;
        }
        if (expression instanceof FusedExpression.Apply apply) {
            return apply.operands().stream().mapToInt(FusedSource::inputCount).max().orElse(0);
        }
        return 0;
    }

    /** The scalars of {@code expression} in kernel-argument order: depth first, operands in order. */
    static List<FusedExpression.Scalar> scalars(FusedExpression expression) {
        List<FusedExpression.Scalar> out = new ArrayList<>();
        collect(expression, out);
        return out;
    }

    private static void collect(FusedExpression expression, List<FusedExpression.Scalar> out) {
        if (expression instanceof FusedExpression.Scalar scalar) {
            out.add(scalar);
        } else if (expression instanceof FusedExpression.Apply apply) {
            apply.operands().forEach(operand -> collect(operand, out));
        }
    }

    /**
     * The kernel source (without the prelude, type macros and element functions that
     * {@link ProgramSources#fused} puts before it) for {@code expression} over {@code inputs} operands of
     * {@code dtype}; every operation must be {@link #covered}.
     */
    static String kernel(FusedExpression expression, int inputs, DType dtype) {
        FusedSource source = new FusedSource(ClType.of(dtype), inputs);
        String value = expression instanceof FusedExpression.Apply apply ? source.apply(apply)
                : source.operand(expression);
        StringBuilder kernel = new StringBuilder("__kernel void ").append(FusedCache.KERNEL).append('(');
        for (int k = 0; k < inputs; k++) {
            kernel.append("__global const S* restrict x").append(k).append(", ");
        }
        for (int j = 0; j < source.scalars; j++) {
            kernel.append("const S s").append(j).append(", ");
        }
        kernel.append("__global S* restrict out, const long n) {\n")
                .append("    long i = get_global_id(0);\n")
                .append("    if (i >= n) return;\n")
                .append(source.body)
                .append("    ").append(source.type.store("out", "i", value)).append(";\n")
                .append("}\n");
        return kernel.toString();
    }

    /** Emits the operands of {@code apply}; returns the unrounded call of its element function. */
    private String apply(FusedExpression.Apply apply) {
        List<String> operands = new ArrayList<>();
        for (FusedExpression operand : apply.operands()) {
            operands.add(operand(operand));
        }
        return ElementFunctions.of(apply.operation()).function() + "(" + String.join(", ", operands) + ")";
    }

    /** The name of a compute-type variable holding {@code expression}'s value, emitting what it needs. */
    private String operand(FusedExpression expression) {
        if (expression instanceof FusedExpression.Input input) {
            int k = input.index();
            if (!loaded[k]) {
                loaded[k] = true;
                body.append("    const C v").append(k).append(" = ").append(type.load("x" + k, "i")).append(";\n");
            }
            return "v" + k;
        }
        if (expression instanceof FusedExpression.Scalar) {
            int j = scalars++;
            body.append("    const C k").append(j).append(" = ").append(type.value("s" + j)).append(";\n");
            return "k" + j;
        }
        String value = apply((FusedExpression.Apply) expression);
        int t = temporaries++;
        body.append("    const C t").append(t).append(" = ").append(type.round(value)).append(";\n");
        return "t" + t;
    }
}
