package org.tensorbridge.backend.reference;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import org.tensorbridge.DType;
import org.tensorbridge.memory.ElementAccess;
import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.ElementMath;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.BroadcastStrides;
import org.tensorbridge.spi.KernelCall;
import org.tensorbridge.spi.KernelRegistry;
import org.tensorbridge.spi.Operand;

/**
 * Exact plain-Java kernels for every dense operation, over host memory: elementwise operations straight
 * from their {@link ElementMath} (so a new elementwise operation needs no code here), matrix products and
 * reductions accumulated in {@code double} or {@code long} and rounded or wrapped once, casts as Java
 * converts, transposes as strided copies. Slow, and meant to be: they are the values the conformance
 * kit's self-tests and the spi's tests trust, and the host fallback any backend may opt into. Stateless.
 */
public final class ReferenceKernels {
    private static final Set<DType> ALL = EnumSet.allOf(DType.class);

    private ReferenceKernels() {
    }

    /** The kernels, by operation, on every dtype (each operation's rule refuses the dtypes it is not defined on). */
    public static KernelRegistry registry() {
        KernelRegistry.Builder kernels = KernelRegistry.builder();
        for (Operation operation : Operations.all()) {
            if (operation.isElementwise()) {
                kernels.overwrite(operation, ALL, ReferenceKernels::elementwise);
            }
        }
        return kernels.write(Operations.MATMUL, ALL, ReferenceKernels::matmul)
                .overwrite(Operations.CAST, ALL, ReferenceKernels::cast)
                .overwrite(Operations.TRANSPOSE, ALL, ReferenceKernels::transpose)
                .overwrite(Operations.SUM, ALL, ReferenceKernels::reduce)
                .overwrite(Operations.MEAN, ALL, ReferenceKernels::reduce)
                .overwrite(Operations.MAX, ALL, ReferenceKernels::reduce)
                .overwrite(Operations.MIN, ALL, ReferenceKernels::reduce)
                .build();
    }

    /** The kernel of every elementwise operation: its {@link ElementMath} on each element, broadcast. */
    public static void elementwise(KernelCall call, Operand result) {
        ElementMath math = call.operation().elementMath();
        DType dtype = result.dtype();
        ByteBuffer out = Elements.memory(result);
        long n = result.shape().elementCount();
        if (math.arity() == 1) {
            ByteBuffer a = Elements.memory(call.input(0));
            for (long i = 0; i < n; i++) {
                Elements.unary(math, a, i, dtype, out, i);
            }
            return;
        }
        Operand a = call.input(0);
        Operand b = call.input(1);
        ByteBuffer x = Elements.memory(a);
        ByteBuffer y = Elements.memory(b);
        Odometer walk = new Odometer(result.shape(), BroadcastStrides.of(a.shape(), result.shape()),
                BroadcastStrides.of(b.shape(), result.shape()));
        for (long i = 0; i < n; i++) {
            Elements.binary(math, x, walk.offset(0), y, walk.offset(1), dtype, out, i);
            walk.advance();
        }
    }

    /** The kernel of every reduction (sum, mean, max, min); see {@link Reductions}. */
    public static void reduce(KernelCall call, Operand result) {
        Reductions.reduce(call, result);
    }

    /** The matrix product kernel: exact for integers (wrapping), accumulated in double for floats. */
    public static void matmul(KernelCall call, Operand result) {
        Operand a = call.input(0);
        Operand b = call.input(1);
        ByteBuffer x = Elements.memory(a);
        ByteBuffer y = Elements.memory(b);
        ByteBuffer out = Elements.memory(result);
        DType dtype = result.dtype();
        long m = a.shape().dim(0);
        long k = a.shape().dim(1);
        long n = b.shape().dim(1);
        for (long row = 0; row < m; row++) {
            for (long col = 0; col < n; col++) {
                if (dtype.isFloatingPoint()) {
                    double sum = 0;
                    for (long p = 0; p < k; p++) {
                        sum += ElementAccess.readDouble(x, dtype, row * k + p) * ElementAccess.readDouble(y, dtype, p * n + col);
                    }
                    ElementAccess.writeDouble(out, dtype, row * n + col, sum);
                } else {
                    long sum = 0;
                    for (long p = 0; p < k; p++) {
                        sum += ElementAccess.readLong(x, dtype, row * k + p) * ElementAccess.readLong(y, dtype, p * n + col);
                    }
                    ElementAccess.writeLong(out, dtype, row * n + col, sum);
                }
            }
        }
    }

    /**
     * As Java converts: floating to {@code int64} as {@code (long)}, to narrower integers as {@code (int)}
     * then keeping the low bits (NaN is 0, out-of-range values saturate to int's range first); integers
     * to floating rounded once; anything to bool {@code != 0}.
     */
    public static void cast(KernelCall call, Operand result) {
        Operand a = call.input(0);
        DType from = a.dtype();
        DType to = result.dtype();
        ByteBuffer x = Elements.memory(a);
        ByteBuffer out = Elements.memory(result);
        long n = result.shape().elementCount();
        for (long i = 0; i < n; i++) {
            if (from.isFloatingPoint()) {
                double v = ElementAccess.readDouble(x, from, i);
                if (to.isFloatingPoint()) {
                    ElementAccess.writeDouble(out, to, i, v);
                } else if (to == DType.BOOL) {
                    ElementAccess.writeLong(out, to, i, v != 0 ? 1 : 0);
                } else {
                    ElementAccess.writeLong(out, to, i, to == DType.INT64 ? (long) v : (int) v);
                }
            } else {
                long v = ElementAccess.readLong(x, from, i);
                if (to == DType.FLOAT32) {
                    out.putFloat((int) (i * Float.BYTES), (float) v);
                } else if (to.isFloatingPoint()) {
                    ElementAccess.writeDouble(out, to, i, (double) v);
                } else {
                    ElementAccess.writeLong(out, to, i, v);
                }
            }
        }
    }

    /** The transpose kernel: each element copied to its place under the permutation (or the axes reversed). */
    public static void transpose(KernelCall call, Operand result) {
        Operand a = call.input(0);
        int rank = a.shape().rank();
        int[] order = permutation(call, rank);
        long[] own = a.shape().contiguousStrides();
        long[] permuted = new long[rank];
        for (int axis = 0; axis < rank; axis++) {
            permuted[axis] = own[order[axis]];
        }
        ByteBuffer x = Elements.memory(a);
        ByteBuffer out = Elements.memory(result);
        int width = a.dtype().byteWidth();
        Odometer walk = new Odometer(result.shape(), permuted);
        long n = result.shape().elementCount();
        for (long i = 0; i < n; i++) {
            out.put((int) (i * width), x, (int) (walk.offset(0) * width), width);
            walk.advance();
        }
    }

    /** The validated permutation attribute with negative axes counted from the end, or the axes reversed. */
    static int[] permutation(KernelCall call, int rank) {
        int[] order = new int[rank];
        if (!call.attributes().has(Attribute.PERMUTATION)) {
            for (int i = 0; i < rank; i++) {
                order[i] = rank - 1 - i;
            }
            return order;
        }
        int[] given = call.attributes().get(Attribute.PERMUTATION);
        for (int i = 0; i < rank; i++) {
            order[i] = given[i] < 0 ? given[i] + rank : given[i];
        }
        return order;
    }
}
