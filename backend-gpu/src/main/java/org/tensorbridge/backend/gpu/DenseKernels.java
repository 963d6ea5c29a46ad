package org.tensorbridge.backend.gpu;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.spi.BinaryOp;
import org.tensorbridge.spi.BroadcastStrides;
import org.tensorbridge.spi.Operand;

/**
 * The dense operations as OpenCL kernel launches: fill, the integer-division zero check,
 * elementwise arithmetic with NumPy broadcasting, tiled matmul and cast. Every byte stays on the
 * device; only the zero check reads back one int (its flag).
 *
 * <p>Stateless apart from the context; call with the context lock held (see {@link ClContext#locked}).
 */
final class DenseKernels {
    private final ClContext cl;

    DenseKernels(ClContext cl) {
        this.cl = cl;
    }

    static DeviceStorage device(Operand operand) {
        return (DeviceStorage) operand.storage();
    }

    static String program(DType dtype) {
        return dtype.name();
    }

    /** Every element of {@code target} set to {@code element} (one element, native order). */
    void fill(Operand target, ByteBuffer element) {
        int width = target.dtype().byteWidth();
        byte[] value = new byte[width];
        element.duplicate().get(value);
        cl.kernel(ProgramSources.COMMON, "fill_" + width)
                .mem(device(target)).bytes(value).i64(target.shape().elementCount())
                .run(target.shape().elementCount());
    }

    /** True if an integer operand holds a zero (its bits are all zero). */
    boolean containsZero(Operand operand) {
        long n = operand.shape().elementCount();
        if (n == 0) {
            return false;
        }
        try (Scratch flag = cl.scratch(Integer.BYTES)) {
            cl.writeInt(flag.memory(), 0, 0);
            cl.kernel(ProgramSources.COMMON, "any_zero_" + operand.dtype().byteWidth())
                    .mem(device(operand)).i64(n).mem(flag).run(n);
            return cl.readInt(flag.memory(), 0) != 0;
        }
    }

    /** {@code result = a op b} with NumPy broadcasting. */
    void elementwise(BinaryOp op, Operand a, Operand b, Operand result) {
        String name = "ew_" + op.operationName();
        Shape shape = result.shape();
        long n = shape.elementCount();
        long[][] collapsed = collapse(shape, BroadcastStrides.of(a.shape(), shape), BroadcastStrides.of(b.shape(), shape));
        int rank = collapsed[0].length;
        boolean flat = rank == 1 && collapsed[1][0] == 1 && collapsed[2][0] == 1;
        if (flat) {
            cl.kernel(program(result.dtype()), name + "_flat")
                    .mem(device(a)).mem(device(b)).mem(device(result)).i64(n).run(n);
            return;
        }
        long[] meta = new long[3 * rank];
        for (int axis = 0; axis < rank; axis++) {
            meta[axis] = collapsed[0][axis];
            meta[rank + axis] = collapsed[1][axis];
            meta[2 * rank + axis] = collapsed[2][axis];
        }
        try (Scratch strides = cl.scratch(meta)) {
            cl.kernel(program(result.dtype()), name + "_broadcast")
                    .mem(device(a)).mem(device(b)).mem(device(result)).i64(n).i32(rank).mem(strides).run(n);
        }
    }

    /**
     * Dims and both operands' strides with size-1 axes dropped and neighbouring axes merged where
     * both operands step through them contiguously: {dims, stridesA, stridesB}.
     */
    static long[][] collapse(Shape shape, long[] stridesA, long[] stridesB) {
        int rank = shape.rank();
        long[] dims = new long[rank];
        long[] sa = new long[rank];
        long[] sb = new long[rank];
        int out = 0;
        for (int axis = 0; axis < rank; axis++) {
            long d = shape.dim(axis);
            if (d == 1) {
                continue;
            }
            if (out > 0 && sa[out - 1] == stridesA[axis] * d && sb[out - 1] == stridesB[axis] * d) {
                dims[out - 1] *= d;
                sa[out - 1] = stridesA[axis];
                sb[out - 1] = stridesB[axis];
            } else {
                dims[out] = d;
                sa[out] = stridesA[axis];
                sb[out] = stridesB[axis];
                out++;
            }
        }
        return new long[][] {java.util.Arrays.copyOf(dims, out), java.util.Arrays.copyOf(sa, out),
            java.util.Arrays.copyOf(sb, out)};
    }

    /** {@code result [m, n] = a [m, k] x b [k, n]}, k > 0, by the tiled kernel. */
    void matmul(Operand a, Operand b, Operand result) {
        long m = a.shape().dim(0);
        long k = a.shape().dim(1);
        long n = b.shape().dim(1);
        int tile = cl.programs().tile();
        cl.kernel(program(result.dtype()), "matmul")
                .mem(device(a)).mem(device(b)).mem(device(result)).i64(m).i64(k).i64(n)
                .run2d(n, m, tile, tile);
    }

    /** {@code result = source} converted to {@code result}'s dtype. */
    void cast(Operand source, Operand result) {
        if (source.dtype() == result.dtype()) {
            cl.copy(device(source).memory(), 0, device(result).memory(), 0, result.byteSize());
            return;
        }
        long n = result.shape().elementCount();
        cl.kernel(program(source.dtype()), ProgramSources.castKernel(result.dtype()))
                .mem(device(source)).mem(device(result)).i64(n).run(n);
    }

    @Override
    public String toString() {
        return "dense kernels on " + cl.device().describe().toLowerCase(Locale.ROOT);
    }
}
