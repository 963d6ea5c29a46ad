package org.tensorbridge.backend.gpu;

import java.util.Arrays;
import java.util.List;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.op.OperandTypes;
import org.tensorbridge.op.ShapeRules;
import org.tensorbridge.spi.BroadcastStrides;
import org.tensorbridge.spi.KernelCall;
import org.tensorbridge.spi.Operand;

/**
 * The dense operations as OpenCL kernel launches: every elementwise operation of
 * {@link ElementFunctions} with NumPy broadcasting, the tiled matmul, casts and transposes. Every byte
 * stays on the device; only a few longs (dims and strides) go up for broadcasting and transposes.
 * Stateless; each method takes the {@link ClQueue} of the locked block it runs in.
 */
final class DenseKernels {
    private DenseKernels() {
    }

    static DeviceStorage device(Operand operand) {
        return DeviceMemory.device(operand);
    }

    /** What the operation's rules saw of a one-input call, for its attributes' shared readers. */
    static OperandTypes types(KernelCall call) {
        Operand a = call.input(0);
        return new OperandTypes(call.operation(), call.attributes(), List.of(a.dtype()), List.of(a.shape().toArray()));
    }

    /** {@code result = op(a)} or {@code op(a, b)} with NumPy broadcasting, by the {@code ew_NAME} kernels. */
    static void elementwise(ClQueue q, KernelCall call, Operand result) {
        String name = "ew_" + call.operation().name();
        DType dtype = result.dtype();
        Shape shape = result.shape();
        long n = shape.elementCount();
        Operand a = call.input(0);
        if (call.inputCount() == 1) {
            q.kernel(dtype, name + "_flat").mem(device(a)).mem(device(result)).i64(n).run(n);
            return;
        }
        Operand b = call.input(1);
        long[][] collapsed = collapse(shape.toArray(), BroadcastStrides.of(a.shape(), shape),
                BroadcastStrides.of(b.shape(), shape));
        int rank = collapsed[0].length;
        if (rank == 1 && collapsed[1][0] == 1 && collapsed[2][0] == 1) {
            q.kernel(dtype, name + "_flat").mem(device(a)).mem(device(b)).mem(device(result)).i64(n).run(n);
            return;
        }
        long[] meta = new long[3 * rank];
        for (int axis = 0; axis < rank; axis++) {
            meta[axis] = collapsed[0][axis];
            meta[rank + axis] = collapsed[1][axis];
            meta[2 * rank + axis] = collapsed[2][axis];
        }
        try (Scratch strides = q.scratch(meta)) {
            q.kernel(dtype, name + "_broadcast").mem(device(a)).mem(device(b)).mem(device(result)).i64(n).i32(rank)
                    .mem(strides).run(n);
        }
    }

    /**
     * {@code dims} and each operand's strides over them with size-1 axes dropped and neighbouring axes
     * merged where every operand steps through them contiguously: {@code {dims, strides...}}. Walking the
     * result in row-major order visits the same elements before and after.
     */
    static long[][] collapse(long[] dims, long[]... strides) {
        int rank = dims.length;
        long[][] out = new long[1 + strides.length][rank];
        int kept = 0;
        for (int axis = 0; axis < rank; axis++) {
            long d = dims[axis];
            if (d == 1) {
                continue;
            }
            boolean merges = kept > 0;
            for (int k = 0; k < strides.length && merges; k++) {
                merges = out[1 + k][kept - 1] == strides[k][axis] * d;
            }
            int at = merges ? kept - 1 : kept++;
            out[0][at] = merges ? out[0][at] * d : d;
            for (int k = 0; k < strides.length; k++) {
                out[1 + k][at] = strides[k][axis];
            }
        }
        for (int k = 0; k < out.length; k++) {
            out[k] = Arrays.copyOf(out[k], kept);
        }
        return out;
    }

    /** {@code result [m, n] = a [m, k] x b [k, n]}, k > 0, by the tiled kernel. */
    static void matmul(ClQueue q, KernelCall call, Operand result) {
        Operand a = call.input(0);
        Operand b = call.input(1);
        long m = a.shape().dim(0);
        long k = a.shape().dim(1);
        long n = b.shape().dim(1);
        int tile = q.tile();
        q.kernel(result.dtype(), "matmul").mem(device(a)).mem(device(b)).mem(device(result)).i64(m).i64(k).i64(n)
                .run2d(n, m, tile, tile);
    }

    /** {@code result = source} converted to {@code result}'s dtype; the same dtype is a device copy. */
    static void cast(ClQueue q, KernelCall call, Operand result) {
        Operand source = call.input(0);
        if (source.dtype() == result.dtype()) {
            q.copy(device(source).memory(), 0, device(result).memory(), 0, result.byteSize());
            return;
        }
        long n = result.shape().elementCount();
        q.kernel(source.dtype(), ProgramSources.castKernel(result.dtype())).mem(device(source)).mem(device(result))
                .i64(n).run(n);
    }

    /**
     * Axes reordered by the permutation attribute (reversed without one): a gather through the input
     * strides of the permuted axes, by element width, so it serves every dtype. An order that keeps the
     * elements' order (after dropping size-1 axes) is one device copy.
     */
    static void transpose(ClQueue q, KernelCall call, Operand result) {
        Operand a = call.input(0);
        int rank = a.shape().rank();
        int[] order = ShapeRules.permutation(types(call), rank);
        long[] own = a.shape().contiguousStrides();
        long[] permuted = new long[rank];
        for (int axis = 0; axis < rank; axis++) {
            permuted[axis] = own[order[axis]];
        }
        long[][] collapsed = collapse(result.shape().toArray(), permuted);
        int axes = collapsed[0].length;
        if (axes == 0 || (axes == 1 && collapsed[1][0] == 1)) {
            q.copy(device(a).memory(), 0, device(result).memory(), 0, result.byteSize());
            return;
        }
        long[] meta = new long[2 * axes];
        System.arraycopy(collapsed[0], 0, meta, 0, axes);
        System.arraycopy(collapsed[1], 0, meta, axes, axes);
        long n = result.shape().elementCount();
        try (Scratch strides = q.scratch(meta)) {
            q.kernel(ProgramSources.COMMON, "transpose_" + a.dtype().byteWidth()).mem(device(a)).mem(device(result))
                    .i64(n).i32(axes).mem(strides).run(n);
        }
    }
}
