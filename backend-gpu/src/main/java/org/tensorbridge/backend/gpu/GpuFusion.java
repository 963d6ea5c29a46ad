package org.tensorbridge.backend.gpu;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.tensorbridge.DType;
import org.tensorbridge.graph.FusedExpression;
import org.tensorbridge.spi.Fusion;
import org.tensorbridge.spi.Operand;

/**
 * Runs a graph's fused chain of elementwise operations as one generated kernel launch
 * ({@link FusedSource}), compiled once per (signature, input count, dtype) and cached in the context's
 * bounded {@link FusedCache}. Every operation of the chain is a call of its {@link ElementFunctions}
 * entry, the function the unfused kernels call, and each intermediate is rounded to the dtype as the
 * unfused kernels' stores round it, so the values are bit for bit the unfused ones. Scalars travel as
 * kernel arguments, so nothing but the launch itself crosses from the host, and nothing comes back.
 *
 * <p>Thread-safe: a run is one locked block of the context.
 */
final class GpuFusion implements Fusion {
    /**
     * Bytes of kernel arguments a fused kernel may take: OpenCL 1.2's minimum of
     * {@code CL_DEVICE_MAX_PARAMETER_SIZE} for a full-profile device, so every device accepts it.
     */
    static final int MAX_ARGUMENT_BYTES = 1024;

    private final ClContext cl;
    private final Set<DType> dtypes;

    GpuFusion(ClContext cl, Set<DType> dtypes) {
        this.cl = cl;
        this.dtypes = Set.copyOf(dtypes);
    }

    /**
     * True for a floating dtype this backend holds, an expression whose every operation has an entry in
     * {@link ElementFunctions}, every scalar one element of the dtype, and kernel arguments within
     * {@link #MAX_ARGUMENT_BYTES}; graphs run anything else one operation at a time.
     */
    @Override
    public boolean fuses(FusedExpression expression, DType dtype) {
        if (!dtype.isFloatingPoint() || !dtypes.contains(dtype) || !FusedSource.covered(expression)) {
            return false;
        }
        List<FusedExpression.Scalar> scalars = FusedSource.scalars(expression);
        for (FusedExpression.Scalar scalar : scalars) {
            if (scalar.element().remaining() != dtype.byteWidth()) {
                return false;
            }
        }
        // Pointers (inputs and result) and the count are 8 bytes each; a scalar is one element, at most 8.
        long argumentBytes = 8L * (FusedSource.inputCount(expression) + 2) + 8L * scalars.size();
        return argumentBytes <= MAX_ARGUMENT_BYTES;
    }

    /** {@code result = expression(inputs)} in one launch; the graph runtime checked {@link #fuses}. */
    @Override
    public void run(FusedExpression expression, List<Operand> inputs, Operand result) {
        DType dtype = result.dtype();
        int count = inputs.size();
        String key = FusedSource.key(expression, count, dtype);
        cl.run(q -> {
            KernelLaunch launch = q.fused(key, dtype, () -> FusedSource.kernel(expression, count, dtype));
            for (Operand input : inputs) {
                launch.mem(DeviceMemory.device(input));
            }
            for (FusedExpression.Scalar scalar : FusedSource.scalars(expression)) {
                ByteBuffer element = scalar.element().duplicate();
                byte[] bytes = new byte[element.remaining()];
                element.get(bytes);
                launch.bytes(bytes);
            }
            long n = result.shape().elementCount();
            launch.mem(DeviceMemory.device(result)).i64(n).run(n);
        });
    }
}
