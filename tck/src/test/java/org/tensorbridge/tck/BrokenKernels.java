package org.tensorbridge.tck;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import org.tensorbridge.Backend;
import org.tensorbridge.DType;
import org.tensorbridge.Float16;
import org.tensorbridge.OperationUnsupportedException;
import org.tensorbridge.backend.reference.ReferenceBackend;
import org.tensorbridge.backend.reference.ReferenceFusion;
import org.tensorbridge.backend.reference.ReferenceKernels;
import org.tensorbridge.graph.FusedExpression;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.Fusion;
import org.tensorbridge.spi.KernelCall;
import org.tensorbridge.spi.KernelRegistry;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.spi.SparseOperand;
import org.tensorbridge.spi.SparseParts;
import org.tensorbridge.spi.WritingKernel;

/**
 * Backends whose one defect is in a kernel: the reference backend with one kernel replaced by a version
 * that makes a mistake real engines make. Each is caught by the rule named in {@link CatchMatrixTest}.
 */
final class BrokenKernels {
    private BrokenKernels() {
    }

    private static ByteBuffer memory(Operand operand) {
        return ((HostStorage) operand.storage()).transientBuffer();
    }

    /** The reference backend with {@code kernel} for {@code operation} on every dtype. */
    static Backend withKernel(String name, Operation operation, WritingKernel kernel) {
        KernelRegistry kernels = KernelRegistry.builder().include(ReferenceBackend.kernels())
                .overwrite(operation, kernel).build();
        return BrokenBackends.broken(name, spec -> spec.kernels(kernels));
    }

    /** int32 addition that saturates at the extremes instead of wrapping. */
    static Backend saturatingAdd() {
        return withKernel("saturating-add", Operations.ADD, (call, result) -> {
            ReferenceKernels.elementwise(call, result);
            if (result.dtype() == DType.INT32 && call.input(0).shape().equals(result.shape())
                    && call.input(1).shape().equals(result.shape())) {
                ByteBuffer a = memory(call.input(0));
                ByteBuffer b = memory(call.input(1));
                ByteBuffer out = memory(result);
                for (int i = 0; i < result.shape().elementCount(); i++) {
                    long sum = (long) a.getInt(i * 4) + b.getInt(i * 4);
                    out.putInt(i * 4, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, sum)));
                }
            }
        });
    }

    /** Float to int32 casts of NaN give the minimum integer, as x86's cvttss2si does. */
    static Backend castNanToMinimum() {
        return withKernel("cast-nan-to-minimum", Operations.CAST, (call, result) -> {
            ReferenceKernels.cast(call, result);
            if (result.dtype() == DType.INT32 && call.input(0).dtype() == DType.FLOAT32) {
                ByteBuffer in = memory(call.input(0));
                for (int i = 0; i < result.shape().elementCount(); i++) {
                    if (Float.isNaN(in.getFloat(i * 4))) {
                        memory(result).putInt(i * 4, Integer.MIN_VALUE);
                    }
                }
            }
        });
    }

    /** float16 addition rounded toward zero (truncated) instead of to nearest even. */
    static Backend truncatingHalfAdd() {
        return withKernel("truncating-half-add", Operations.ADD, (call, result) -> {
            ReferenceKernels.elementwise(call, result);
            if (result.dtype() == DType.FLOAT16 && call.input(0).shape().equals(result.shape())
                    && call.input(1).shape().equals(result.shape())) {
                ByteBuffer a = memory(call.input(0));
                ByteBuffer b = memory(call.input(1));
                for (int i = 0; i < result.shape().elementCount(); i++) {
                    float exact = Float16.toFloat(a.getShort(i * 2)) + Float16.toFloat(b.getShort(i * 2));
                    short bits = Float16.fromFloat(exact);
                    if (!Float.isNaN(exact) && Math.abs(Float16.toFloat(bits)) > Math.abs(exact)) {
                        bits--;
                    }
                    memory(result).putShort(i * 2, bits);
                }
            }
        });
    }

    /** Integer division that floors (rounds toward minus infinity) instead of truncating toward zero. */
    static Backend flooringDivision() {
        return withKernel("flooring-division", Operations.DIVIDE, (call, result) -> {
            ReferenceKernels.elementwise(call, result);
            if (result.dtype() == DType.INT32 && call.input(0).shape().equals(result.shape())
                    && call.input(1).shape().equals(result.shape())) {
                ByteBuffer a = memory(call.input(0));
                ByteBuffer b = memory(call.input(1));
                for (int i = 0; i < result.shape().elementCount(); i++) {
                    memory(result).putInt(i * 4, Math.floorDiv(a.getInt(i * 4), b.getInt(i * 4)));
                }
            }
        });
    }

    /** A matrix product that reads b as if it were stored transposed. */
    static Backend matmulReadsBTransposed() {
        return BrokenBackends.broken("matmul-reads-b-transposed", spec -> spec.kernels(KernelRegistry.builder()
                .include(ReferenceBackend.kernels()).write(Operations.MATMUL, EnumSet.allOf(DType.class),
                        (call, result) -> {
                            Operand a = call.input(0);
                            Operand b = call.input(1);
                            long m = a.shape().dim(0);
                            long k = a.shape().dim(1);
                            long n = b.shape().dim(1);
                            DType dtype = result.dtype();
                            for (long i = 0; i < m; i++) {
                                for (long j = 0; j < n; j++) {
                                    double sum = 0;
                                    for (long p = 0; p < k; p++) {
                                        sum += Elements.get(memory(a), dtype, (int) (i * k + p))
                                                * Elements.get(memory(b), dtype, (int) ((j * k + p) % (k * n)));
                                    }
                                    Elements.put(memory(result), dtype, (int) (i * n + j), sum);
                                }
                            }
                        }).build()));
    }

    /** Addition that reads b cyclically instead of broadcasting it: right only when b is a suffix of a. */
    static Backend cyclicInsteadOfBroadcast() {
        return withKernel("cyclic-instead-of-broadcast", Operations.ADD, (call, result) -> {
            Operand a = call.input(0);
            Operand b = call.input(1);
            DType dtype = result.dtype();
            long na = a.shape().elementCount();
            long nb = b.shape().elementCount();
            for (int i = 0; i < result.shape().elementCount(); i++) {
                Elements.put(memory(result), dtype, i, Elements.get(memory(a), dtype, (int) (i % na))
                        + Elements.get(memory(b), dtype, (int) (i % nb)));
            }
        });
    }

    /** subtract computes b - a. */
    static Backend reversedSubtract() {
        return withKernel("reversed-subtract", Operations.SUBTRACT, (call, result) -> {
            ReferenceKernels.elementwise(call, result);
            for (int i = 0; i < result.shape().elementCount(); i++) {
                Elements.put(memory(result), result.dtype(), i, -Elements.get(memory(result), result.dtype(), i));
            }
        });
    }

    /** Addition that also leaves its result in its first input's memory. */
    static Backend writesToItsInput() {
        return withKernel("writes-to-its-input", Operations.ADD, (call, result) -> {
            ReferenceKernels.elementwise(call, result);
            if (call.input(0).shape().equals(result.shape())) {
                memory(call.input(0)).put(memory(result).limit((int) result.byteSize()));
            }
        });
    }

    /** exp off by a relative 1e-5 in float32: about 80 ulps, where the rule allows 4. */
    static Backend inaccurateExp() {
        return withKernel("inaccurate-exp", Operations.EXP, (call, result) -> {
            ReferenceKernels.elementwise(call, result);
            if (result.dtype() == DType.FLOAT32) {
                for (int i = 0; i < result.shape().elementCount(); i++) {
                    float v = memory(result).getFloat(i * 4);
                    memory(result).putFloat(i * 4, v * 1.00001f);
                }
            }
        });
    }

    /** max over axes that drops NaN (a comparison {@code a > b ? a : b} never picks it). */
    static Backend maxDropsNan() {
        return withKernel("max-drops-nan", Operations.MAX, (call, result) -> {
            ReferenceKernels.reduce(call, result);
            if (result.dtype().isFloatingPoint()) {
                for (int i = 0; i < result.shape().elementCount(); i++) {
                    if (Double.isNaN(Elements.get(memory(result), result.dtype(), i))) {
                        Elements.put(memory(result), result.dtype(), i, 0);
                    }
                }
            }
        });
    }

    /** Declares exp (it registers a kernel) but the kernel refuses to run. */
    static Backend declaredButRefused() {
        return withKernel("declared-but-refused", Operations.EXP, (call, result) -> {
            throw new OperationUnsupportedException("exp is not implemented yet");
        });
    }

    /** A kernel that allocates scratch memory for each call and never releases it. */
    static Backend leaksScratch() {
        return withKernel("leaks-scratch", Operations.ADD, (call, result) -> {
            call.allocate(result.dtype(), result.shape());
            ReferenceKernels.elementwise(call, result);
        });
    }

    /** Every float32 addition goes through one scratch buffer shared by all calls: concurrent calls race. */
    static Backend sharedScratchRace() {
        HostStorage scratch = HostStorage.allocate(1 << 20, new MemoryLedger("shared scratch (broken backend)"));
        return withKernel("shared-scratch-race", Operations.ADD, (call, result) -> {
            if (result.dtype() != DType.FLOAT32 || result.byteSize() > scratch.byteSize()) {
                ReferenceKernels.elementwise(call, result);
                return;
            }
            ReferenceKernels.elementwise(call, new Operand(scratch, result.dtype(), result.shape()));
            ByteBuffer shared = scratch.transientBuffer().limit((int) result.byteSize());
            memory(result).put(shared);
        });
    }

    /** A scaled sparse tensor always claims canonical order, even when its (shared) indices are not sorted. */
    static Backend scaledSparseClaimsCanonical() {
        return BrokenBackends.broken("scaled-sparse-claims-canonical", spec -> spec.kernels(KernelRegistry.builder()
                .include(ReferenceBackend.kernels()).sparse(Operations.SPARSE_MULTIPLY, EnumSet.allOf(DType.class),
                        BrokenKernels::scaleClaimingCanonical).build()));
    }

    private static SparseParts scaleClaimingCanonical(KernelCall call) {
        SparseOperand a = call.sparseInput(0);
        double factor = Elements.get(memory(call.input(1)), a.dtype(), 0);
        HostStorage indices = (HostStorage) call.allocate(DType.INT64, a.indices().shape());
        HostStorage values = (HostStorage) call.allocate(a.dtype(), a.values().shape());
        indices.transientBuffer().put(memory(a.indices()).limit((int) a.indices().byteSize()));
        for (int i = 0; i < a.nnz(); i++) {
            Elements.put(values.transientBuffer(), a.dtype(), i, Elements.get(memory(a.values()), a.dtype(), i) * factor);
        }
        return new SparseParts(indices, values, a.nnz(), true);
    }

    /** Fused graph chains compute add as subtract: eager and graph results drift apart. */
    static Backend driftingFusion() {
        ReferenceFusion reference = new ReferenceFusion();
        return BrokenBackends.broken("drifting-fusion", spec -> spec.fusion(new Fusion() {
            @Override
            public boolean fuses(FusedExpression expression, DType dtype) {
                return reference.fuses(expression, dtype);
            }

            @Override
            public void run(FusedExpression expression, List<Operand> inputs, Operand result) {
                reference.run(addAsSubtract(expression), inputs, result);
            }
        }));
    }

    private static FusedExpression addAsSubtract(FusedExpression expression) {
        if (!(expression instanceof FusedExpression.Apply apply)) {
            return expression;
        }
        Operation op = apply.operation() == Operations.ADD ? Operations.SUBTRACT : apply.operation();
        return new FusedExpression.Apply(op, apply.operands().stream().map(BrokenKernels::addAsSubtract).toList());
    }

    /** maximum as {@code a > b ? a : b}, as some engines compute it: NaN in b is dropped. */
    static Backend maximumDropsNan() {
        return withKernel("maximum-drops-nan", Operations.MAXIMUM, (call, result) -> {
            ReferenceKernels.elementwise(call, result);
            ByteBuffer a = ((HostStorage) call.input(0).storage()).transientBuffer();
            ByteBuffer out = ((HostStorage) result.storage()).transientBuffer();
            if (result.dtype() == DType.FLOAT32 && call.input(0).shape().equals(result.shape())) {
                for (int i = 0; i < result.shape().elementCount(); i++) {
                    if (Float.isNaN(out.getFloat(i * 4)) && !Float.isNaN(a.getFloat(i * 4))) {
                        out.putFloat(i * 4, a.getFloat(i * 4));
                    }
                }
            }
        });
    }

    /** pow with Java's Math.pow: pow(1, NaN) is NaN instead of C99's 1. */
    static Backend javaPow() {
        return withKernel("java-pow", Operations.POW, (call, result) -> {
            ReferenceKernels.elementwise(call, result);
            ByteBuffer a = ((HostStorage) call.input(0).storage()).transientBuffer();
            ByteBuffer b = ((HostStorage) call.input(1).storage()).transientBuffer();
            ByteBuffer out = ((HostStorage) result.storage()).transientBuffer();
            if (result.dtype() == DType.FLOAT64 && call.input(1).shape().equals(result.shape())) {
                for (int i = 0; i < result.shape().elementCount(); i++) {
                    out.putDouble(i * 8, Math.pow(a.getDouble(i * 8), b.getDouble(i * 8)));
                }
            }
        });
    }

    /** An int32 sum over every axis that saturates instead of wrapping. */
    static Backend saturatingSum() {
        return withKernel("saturating-sum", Operations.SUM, (call, result) -> {
            ReferenceKernels.reduce(call, result);
            if (result.dtype() == DType.INT32 && result.shape().elementCount() == 1) {
                ByteBuffer a = ((HostStorage) call.input(0).storage()).transientBuffer();
                long sum = 0;
                for (int i = 0; i < call.input(0).shape().elementCount(); i++) {
                    sum += a.getInt(i * 4);
                }
                ((HostStorage) result.storage()).transientBuffer()
                        .putInt(0, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, sum)));
            }
        });
    }

    /** A transpose kernel that copies the elements in their input order, ignoring the permutation. */
    static Backend transposeIgnoresPermutation() {
        return withKernel("transpose-ignores-permutation", Operations.TRANSPOSE, (call, result) -> {
            ByteBuffer in = ((HostStorage) call.input(0).storage()).transientBuffer();
            ((HostStorage) result.storage()).transientBuffer().put(in.limit((int) result.byteSize()));
        });
    }
}
