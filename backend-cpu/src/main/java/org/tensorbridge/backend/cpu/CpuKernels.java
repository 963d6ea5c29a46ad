package org.tensorbridge.backend.cpu;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.BiFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.transforms.dtype.Cast;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Negative;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.tensorbridge.DType;
import org.tensorbridge.backend.reference.ReferenceKernels;
import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.HostSparseKernels;
import org.tensorbridge.spi.KernelCall;
import org.tensorbridge.spi.KernelRegistry;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.spi.WritingKernel;

/**
 * The CPU backend's kernels, by operation. ND4J runs what it computes as the contract says (arithmetic,
 * exp/log/sqrt/tanh and neg/abs on float32 and float64, matmul, cast, transpose, float sums and means);
 * the exact plain-Java reference kernels run the rest: maximum and minimum (ND4J's drop NaN), powers,
 * integer and half-precision unary functions, integer sums and every max/min reduction. Integer division
 * is in Java ({@link IntegerDivision}) because ND4J's kills the JVM on a zero divisor, and operands of more
 * dimensions than libnd4j holds ({@link #ND4J_MAX_RANK}) go to the reference kernels for the same reason.
 * Stateless.
 */
final class CpuKernels {
    private static final Set<DType> WIDE_FLOATS = EnumSet.of(DType.FLOAT32, DType.FLOAT64);
    private static final Set<DType> ALL = EnumSet.allOf(DType.class);
    private static final Set<DType> HALVES = EnumSet.of(DType.FLOAT16, DType.BFLOAT16);
    /** libnd4j's {@code MAX_RANK}: the most dimensions its native shape arrays hold. */
    static final int ND4J_MAX_RANK = 32;

    private CpuKernels() {
    }

    static KernelRegistry registry(long javaKernelMaxElements) {
        KernelRegistry.Builder kernels = KernelRegistry.builder()
                .include(ReferenceKernels.registry())
                .include(HostSparseKernels.registry());
        for (Operation op : new Operation[] {Operations.ADD, Operations.SUBTRACT, Operations.MULTIPLY, Operations.DIVIDE}) {
            kernels.overwrite(op, ALL, (call, result) -> arithmetic(op, call, result, javaKernelMaxElements));
        }
        return kernels
                .overwrite(Operations.NEG, WIDE_FLOATS, unary(Negative::new))
                .overwrite(Operations.ABS, WIDE_FLOATS, unary(Abs::new))
                .overwrite(Operations.EXP, WIDE_FLOATS, unary(Exp::new))
                .overwrite(Operations.LOG, WIDE_FLOATS, unary(Log::new))
                .overwrite(Operations.SQRT, WIDE_FLOATS, unary(Sqrt::new))
                .overwrite(Operations.TANH, WIDE_FLOATS, unary(Tanh::new))
                .write(Operations.MATMUL, ALL, withinNd4jRank(CpuKernels::matmul, ReferenceKernels::matmul))
                .overwrite(Operations.SPARSE_MATMUL, WIDE_FLOATS, CsrSparseMatmul::run)
                .overwrite(Operations.CAST, ALL, withinNd4jRank(CpuKernels::cast, ReferenceKernels::cast))
                .overwrite(Operations.TRANSPOSE, ALL, withinNd4jRank(CpuKernels::transpose,
                        ReferenceKernels::transpose))
                .overwrite(Operations.SUM, WIDE_FLOATS, withinNd4jRank((call, result) -> Nd4j.exec(new Sum(in(call),
                        out(result), keepDims(call), axes(call))), ReferenceKernels::reduce))
                .overwrite(Operations.MEAN, WIDE_FLOATS, withinNd4jRank((call, result) -> Nd4j.exec(new Mean(in(call),
                        out(result), keepDims(call), axes(call))), ReferenceKernels::reduce))
                .build();
    }

    /**
     * {@code nd4j}, or {@code reference} when an operand has more dimensions than libnd4j's shape arrays hold
     * ({@link #ND4J_MAX_RANK}): libnd4j keeps shapes in fixed-size native arrays, and a higher rank overflows
     * them and aborts the JVM (measured: a sum or transpose at rank 34 and above).
     */
    private static WritingKernel withinNd4jRank(WritingKernel nd4j, WritingKernel reference) {
        return (call, result) -> (withinNd4jRank(call, result) ? nd4j : reference).write(call, result);
    }

    private static boolean withinNd4jRank(KernelCall call, Operand result) {
        boolean within = result.shape().rank() <= ND4J_MAX_RANK;
        for (int i = 0; within && i < call.inputCount(); i++) {
            within = call.input(i).shape().rank() <= ND4J_MAX_RANK;
        }
        return within;
    }

    /** ND4J's transform {@code (input, result)} of a unary operation, within ND4J's rank. */
    private static WritingKernel unary(BiFunction<INDArray, INDArray, Op> transform) {
        return withinNd4jRank((call, result) -> Nd4j.getExecutioner().exec(transform.apply(in(call), out(result))),
                ReferenceKernels::elementwise);
    }

    private static void arithmetic(Operation op, KernelCall call, Operand result, long javaKernelMaxElements) {
        Operand a = call.input(0);
        Operand b = call.input(1);
        if (op == Operations.DIVIDE && result.dtype().isInteger()) {
            IntegerDivision.divide(a, b, result);
            return;
        }
        if (JavaElementwise.handles(op, a, b, result, javaKernelMaxElements)) {
            JavaElementwise.run(op, a, b, result);
            return;
        }
        if (!withinNd4jRank(call, result)) {
            ReferenceKernels.elementwise(call, result);
            return;
        }
        INDArray[] inputs = {Nd4jViews.of(a), Nd4jViews.of(b)};
        INDArray[] outputs = {Nd4jViews.of(result)};
        DynamicCustomOp kernel = op == Operations.ADD ? new AddOp(inputs, outputs)
                : op == Operations.SUBTRACT ? new SubOp(inputs, outputs)
                : op == Operations.MULTIPLY ? new MulOp(inputs, outputs) : new DivOp(inputs, outputs);
        Nd4j.exec(kernel);
    }

    private static INDArray in(KernelCall call) {
        return Nd4jViews.of(call.input(0));
    }

    private static INDArray out(Operand result) {
        return Nd4jViews.of(result);
    }

    private static void matmul(KernelCall call, Operand result) {
        Nd4j.exec(new Mmul(Nd4jViews.of(call.input(0)), Nd4jViews.of(call.input(1)), Nd4jViews.of(result), null));
    }

    /**
     * ND4J's cast, except from floating point to integers and bool, where ND4J converts NaN, infinities
     * and out-of-range values as the processor does (x86 gives the minimum integer) rather than as Java
     * does, and to or from float16 and bfloat16, where it loses NaN (bfloat16 NaN became -0.0): the
     * reference kernel does those exactly.
     */
    private static void cast(KernelCall call, Operand result) {
        DType from = call.input(0).dtype();
        DType to = result.dtype();
        if ((from.isFloatingPoint() && !to.isFloatingPoint()) || HALVES.contains(from) || HALVES.contains(to)) {
            ReferenceKernels.cast(call, result);
            return;
        }
        Cast kernel = new Cast(Nd4jViews.of(call.input(0)), Nd4jViews.dataType(result.dtype()));
        kernel.addOutputArgument(Nd4jViews.of(result));
        Nd4j.exec(kernel);
    }

    /** ND4J's strided assignment from a permuted view of the input into the row-major result. */
    private static void transpose(KernelCall call, Operand result) {
        int rank = call.input(0).shape().rank();
        int[] order = new int[rank];
        int[] given = call.attributes().has(Attribute.PERMUTATION) ? call.attributes().get(Attribute.PERMUTATION) : null;
        for (int i = 0; i < rank; i++) {
            order[i] = given == null ? rank - 1 - i : given[i] < 0 ? given[i] + rank : given[i];
        }
        Nd4jViews.of(result).assign(Nd4jViews.of(call.input(0)).permute(order));
    }

    private static boolean keepDims(KernelCall call) {
        return call.attributes().getOrDefault(Attribute.KEEP_DIMS, false);
    }

    /** The reduced axes, non-negative; every axis when none are given. */
    private static int[] axes(KernelCall call) {
        int rank = call.input(0).shape().rank();
        int[] axes = call.attributes().getOrDefault(Attribute.AXES, new int[0]);
        if (axes.length == 0) {
            axes = new int[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
        }
        return out;
    }
}
