package org.tensorbridge.backend.tensorflow;

import java.util.List;
import org.tensorbridge.DType;
import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;

/**
 * Every tensorbridge operation as TensorFlow operations, written once for eager calls and graphs. Where
 * TensorFlow's value differs from the operation's definition, the difference is corrected here with more
 * TensorFlow operations: {@code maximum}, {@code minimum}, {@code max} and {@code min} order -0 below +0
 * (TensorFlow keeps whichever operand comes first) and keep subnormals, as {@code sqrt}, {@code log},
 * {@code tanh}, float32 and bfloat16 {@code pow}, bfloat16 add, subtract, multiply and divide and
 * {@code to_sparse} (a subnormal is not zero) do ({@link Subnormals}); casts are Java's conversions
 * ({@link TfCasts}). Stateless.
 */
final class TfOperations {
    private TfOperations() {
    }

    /** A sparse value: COO indices {@code int64 [nnz, rank]}, values {@code [nnz]}, dense shape {@code int64 [rank]}. */
    record Sparse<V>(V indices, V values, V shape) {
    }

    /**
     * The dense result of {@code op} on {@code in} (a value per dense input, a {@link Sparse} per sparse one),
     * whose first input is of {@code dtype} and rank {@code rank}.
     */
    @SuppressWarnings("unchecked")
    static <V> V dense(TfProgram<V> tf, Operation op, Attributes at, List<Object> in, DType dtype, int rank) {
        V a = in.get(0) instanceof Sparse ? null : (V) in.get(0);
        V b = in.size() > 1 ? (V) in.get(1) : null;
        Sparse<V> s = in.get(0) instanceof Sparse ? (Sparse<V>) in.get(0) : null;
        return switch (op.name()) {
            case "add" -> arithmetic(tf, "AddV2", dtype, a, b);
            case "subtract" -> arithmetic(tf, "Sub", dtype, a, b);
            case "multiply" -> arithmetic(tf, "Mul", dtype, a, b);
            case "divide" -> arithmetic(tf, dtype.isInteger() ? "TruncateDiv" : "RealDiv", dtype, a, b);
            case "maximum", "minimum" -> dtype.isFloatingPoint() ? Subnormals.extreme(tf, op.name().equals("maximum"),
                    dtype, a, b) : tf.op(op.name().equals("maximum") ? "Maximum" : "Minimum", a, b);
            case "pow" -> dtype == DType.FLOAT32 || dtype == DType.BFLOAT16 ? Subnormals.narrow(tf, tf.op("Pow",
                    Subnormals.widen(tf, a, dtype), Subnormals.widen(tf, b, dtype)), dtype) : tf.op("Pow", a, b);
            case "neg" -> dtype == DType.UINT8 ? tf.op("Sub", tf.scalar(dtype, 0), a) : tf.op("Neg", a);
            case "abs" -> tf.op(dtype == DType.UINT8 ? "DeepCopy" : "Abs", a);
            case "exp" -> tf.op("Exp", a);
            case "log" -> Subnormals.unary(tf, "Log", dtype, a);
            case "sqrt" -> Subnormals.unary(tf, "Sqrt", dtype, a);
            case "tanh" -> Subnormals.unary(tf, "Tanh", dtype, a);
            case "matmul" -> tf.op("MatMul", a, b);
            case "reshape" -> tf.op("Reshape", a, tf.longs(at.get(Attribute.DIMS)));
            case "cast" -> rank > TfProgram.SELECT_MAX_RANK
                    ? tf.onFlat(a, x -> TfCasts.cast(tf, x, dtype, at.get(Attribute.DTYPE)))
                    : TfCasts.cast(tf, a, dtype, at.get(Attribute.DTYPE));
            case "transpose" -> tf.op("Transpose", a, tf.ints(permutation(at, rank)));
            case "sum", "mean", "max", "min" -> reduce(tf, op.name(), at, a, dtype, rank);
            case "to_dense" -> tf.op("ScatterNd", s.indices(), s.values(), s.shape());
            case "sparse_matmul" -> dtype == DType.INT64 || dtype == DType.UINT8 ? gatherMatmul(tf, s, b)
                    : tf.op("SparseTensorDenseMatMul", s.indices(), s.values(), s.shape(), b);
            case "sparse_sum" -> tf.op("SparseReduceSum", s.indices(), s.values(), s.shape(),
                    tf.ints(at.get(Attribute.AXIS)));
            default -> throw new IllegalStateException("no TensorFlow form of " + op);
        };
    }

    /** The sparse result of {@code op} on {@code in}, whose first input's values are of {@code dtype}. */
    @SuppressWarnings("unchecked")
    static <V> Sparse<V> sparse(TfProgram<V> tf, Operation op, List<Object> in, DType dtype) {
        Sparse<V> s = in.get(0) instanceof Sparse ? (Sparse<V>) in.get(0) : null;
        switch (op.name()) {
            case "to_sparse" -> {
                V dense = (V) in.get(0);
                V indices = tf.op("Where", dtype.isFloatingPoint() ? Subnormals.nonZero(tf, dense, dtype)
                        : tf.op("NotEqual", dense, tf.scalar(dtype, 0)));
                return new Sparse<>(indices, tf.op("GatherNd", dense, indices),
                        tf.op("Shape", TfProgram.type("out_type", DType.INT64), dense));
            }
            case "coalesce" -> {
                return coalesce(tf, s);
            }
            case "sparse_add" -> {
                Sparse<V> a = coalesce(tf, s);
                Sparse<V> b = coalesce(tf, (Sparse<V>) in.get(1));
                List<V> sum = tf.run("SparseAdd", 3, TfProgram.NO_ATTRIBUTES, List.of(a.indices(), a.values(),
                        a.shape(), b.indices(), b.values(), b.shape(), tf.scalar(dtype, 0)));
                return new Sparse<>(sum.get(0), sum.get(1), sum.get(2));
            }
            case "sparse_transpose" -> {
                V shape = tf.op("ReverseV2", s.shape(), tf.ints(0));
                List<V> sorted = tf.run("SparseReorder", 2, TfProgram.NO_ATTRIBUTES, List.of(tf.op("ReverseV2",
                        s.indices(), tf.ints(1)), s.values(), shape));
                return new Sparse<>(sorted.get(0), sorted.get(1), shape);
            }
            case "sparse_multiply" -> {
                return new Sparse<>(s.indices(), tf.op("Mul", s.values(), (V) in.get(1)), s.shape());
            }
            default -> throw new IllegalStateException("no TensorFlow form of " + op);
        }
    }

    /** Sorted, duplicates summed: TensorFlow's sparse sum over no axis. */
    private static <V> Sparse<V> coalesce(TfProgram<V> tf, Sparse<V> s) {
        List<V> out = tf.run("SparseReduceSumSparse", 3, TfProgram.NO_ATTRIBUTES, List.of(s.indices(), s.values(),
                s.shape(), tf.ints()));
        return new Sparse<>(out.get(0), out.get(1), out.get(2));
    }

    /**
     * Sparse {@code [m, k]} times dense {@code [k, n]} where TensorFlow has no sparse kernel for the dtype: the
     * rows of {@code b} each element's column selects, scaled by the element and summed into its row.
     */
    private static <V> V gatherMatmul(TfProgram<V> tf, Sparse<V> s, V b) {
        V rows = tf.op("GatherV2", s.indices(), tf.scalar(DType.INT64, 0), tf.scalar(DType.INT32, 1));
        V columns = tf.op("GatherV2", s.indices(), tf.scalar(DType.INT64, 1), tf.scalar(DType.INT32, 1));
        V scaled = tf.op("Mul", tf.op("GatherV2", b, columns, tf.scalar(DType.INT32, 0)),
                tf.op("ExpandDims", s.values(), tf.scalar(DType.INT32, -1)));
        return tf.op("UnsortedSegmentSum", scaled, rows, tf.op("GatherV2", s.shape(), tf.scalar(DType.INT64, 0),
                tf.scalar(DType.INT32, 0)));
    }

    /**
     * Add, subtract, multiply or divide: TensorFlow's, but for bfloat16, whose subnormals are float32's and so
     * flushed by TensorFlow's kernels: computed in float64 and rounded once ({@link Subnormals#inFloat64}).
     * float16 needs nothing: TensorFlow computes it in float32, where its subnormals and every such result of two
     * are normal, and rounds once to nearest even (float32 has twice float16's precision plus two bits).
     */
    private static <V> V arithmetic(TfProgram<V> tf, String type, DType dtype, V a, V b) {
        return dtype == DType.BFLOAT16 ? Subnormals.inFloat64(tf, type, dtype, a, b) : tf.op(type, a, b);
    }

    /** A reduction over the axes of the attributes; floating {@code max} and {@code min} by {@link Subnormals}. */
    private static <V> V reduce(TfProgram<V> tf, String name, Attributes at, V a, DType dtype, int rank) {
        Object[] keep = {"keep_dims", at.getOrDefault(Attribute.KEEP_DIMS, false)};
        V axes = tf.ints(axes(at, rank));
        String type = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        if (name.equals("sum") || name.equals("mean") || !dtype.isFloatingPoint()) {
            return tf.op(type, keep, a, axes);
        }
        int resultRank = at.getOrDefault(Attribute.KEEP_DIMS, false) ? rank : rank - axes(at, rank).length;
        return Subnormals.reduceExtreme(tf, type, keep, a, axes, dtype, resultRank > TfProgram.SELECT_MAX_RANK);
    }

    /** The permutation of a transpose: the attribute's, with negative axes counted from the end, or the reverse. */
    private static int[] permutation(Attributes at, int rank) {
        int[] given = at.getOrDefault(Attribute.PERMUTATION, null);
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = given == null ? rank - 1 - i : Math.floorMod(given[i], rank);
        }
        return order;
    }

    /** The reduced axes, non-negative; every axis when none are given. */
    private static int[] axes(Attributes at, int rank) {
        int[] given = at.getOrDefault(Attribute.AXES, new int[0]);
        int[] axes = new int[given.length == 0 ? rank : given.length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = given.length == 0 ? i : Math.floorMod(given[i], rank);
        }
        return axes;
    }
}
