package org.tensorbridge.backend.gpu;

import java.util.EnumSet;
import java.util.Set;
import org.tensorbridge.DType;
import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.KernelCall;
import org.tensorbridge.spi.KernelRegistry;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.spi.SparseKernel;
import org.tensorbridge.spi.SparseParts;
import org.tensorbridge.spi.WritingKernel;

/**
 * The backend's kernels by operation and dtype, exactly those its programs contain: every entry of
 * {@link ElementFunctions} on the dtypes it is defined on, matmul, cast, transpose, the reductions
 * (a mean on floating dtypes only, as its definition requires), and the sparse operations. A sparse
 * tensor times a scalar comes from the spi, over the multiply kernel.
 *
 * <p>Every kernel is registered through one decorator, {@link #locked}, which runs it as one locked
 * block of the context with the block's {@link ClQueue}; no kernel takes the lock itself. Stateless.
 */
final class GpuKernels {
    private GpuKernels() {
    }

    /** A dense kernel's body: it drives the queue of the locked block it runs in. */
    @FunctionalInterface
    interface QueueKernel {
        void write(ClQueue q, KernelCall call, Operand result);
    }

    /** A sparse-result kernel's body, over the sparse kernels of one locked block. */
    @FunctionalInterface
    interface QueueSparseKernel {
        SparseParts compute(SparseKernels kernels, KernelCall call);
    }

    /** The registry of a backend on {@code cl} holding {@code dtypes}. */
    static KernelRegistry registry(ClContext cl, Set<DType> dtypes) {
        Set<DType> numeric = EnumSet.noneOf(DType.class);
        Set<DType> floating = EnumSet.noneOf(DType.class);
        dtypes.stream().filter(DType::isNumeric).forEach(numeric::add);
        dtypes.stream().filter(DType::isFloatingPoint).forEach(floating::add);
        KernelRegistry.Builder kernels = KernelRegistry.builder();
        for (ElementFunctions.Entry entry : ElementFunctions.all()) {
            kernels.overwrite(entry.operation(), ElementFunctions.dtypes(entry, dtypes),
                    locked(cl, DenseKernels::elementwise));
        }
        return kernels
                .overwrite(Operations.MATMUL, numeric, locked(cl, DenseKernels::matmul))
                .overwrite(Operations.CAST, dtypes, locked(cl, DenseKernels::cast))
                .overwrite(Operations.TRANSPOSE, dtypes, locked(cl, DenseKernels::transpose))
                .overwrite(Operations.SUM, numeric, locked(cl, ReductionKernels::reduce))
                .overwrite(Operations.MEAN, floating, locked(cl, ReductionKernels::reduce))
                .overwrite(Operations.MAX, numeric, locked(cl, ReductionKernels::reduce))
                .overwrite(Operations.MIN, numeric, locked(cl, ReductionKernels::reduce))
                .sparse(Operations.COALESCE, dtypes, locked(cl, (k, call) -> k.coalesce(call.sparseInput(0))))
                .sparse(Operations.SPARSE_ADD, numeric,
                        locked(cl, (k, call) -> k.add(call.sparseInput(0), call.sparseInput(1))))
                .sparse(Operations.SPARSE_TRANSPOSE, dtypes, locked(cl, (k, call) -> k.transpose(call.sparseInput(0))))
                .sparse(Operations.TO_SPARSE, dtypes, locked(cl, (k, call) -> k.toSparse(call.input(0))))
                .overwrite(Operations.SPARSE_MATMUL, numeric, locked(cl, (q, call, result) ->
                        sparse(q, call).matmul(call.sparseInput(0), call.input(1), result)))
                .overwrite(Operations.SPARSE_SUM, numeric, locked(cl, (q, call, result) ->
                        sparse(q, call).sum(call.sparseInput(0), call.attributes().get(Attribute.AXIS), result)))
                .overwrite(Operations.TO_DENSE, dtypes, locked(cl, (q, call, result) ->
                        sparse(q, call).toDense(call.sparseInput(0), result)))
                .build();
    }

    /** The one decorator of dense kernels: {@code kernel} as one locked block of {@code cl}. */
    static WritingKernel locked(ClContext cl, QueueKernel kernel) {
        return (call, result) -> cl.run(q -> kernel.write(q, call, result));
    }

    /** The one decorator of sparse-result kernels: {@code kernel} as one locked block of {@code cl}. */
    static SparseKernel locked(ClContext cl, QueueSparseKernel kernel) {
        return call -> cl.locked(q -> kernel.compute(sparse(q, call), call));
    }

    private static SparseKernels sparse(ClQueue q, KernelCall call) {
        return new SparseKernels(q, call::allocate);
    }
}
