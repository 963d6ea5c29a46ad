package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.EnumSet;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.memory.ElementAccess;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.StableOrder;
import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Operations;

/**
 * Sparse kernels over host memory, for any backend whose storage is {@link HostStorage}: a backend
 * includes {@link #registry()} in its kernels to support every sparse operation. Indices are COO
 * {@code int64 [nnz, rank]};
 * an element's key is its row-major position in the dense shape, so sorting by key is canonical
 * order. Work is linear in nnz (plus a sort), never in the dense size, except where the result is
 * dense ({@code matmul}, {@code sum}, {@code toDense}).
 *
 * <p>Stateless and thread-safe; callers hold references to every operand for the call.
 */
public final class HostSparseKernels {
    private HostSparseKernels() {
    }

    /** Allocates host memory for results. */
    public interface Allocator {
        /** New memory for a {@code dtype} array of {@code shape}, one reference, contents unspecified. */
        HostStorage allocate(DType dtype, Shape shape);
    }

    /**
     * Every sparse operation, for backends whose memory is {@link HostStorage}: coalesce, add,
     * transpose, conversion from dense, sparse x dense, sum along an axis and densification.
     */
    public static KernelRegistry registry() {
        EnumSet<DType> all = EnumSet.allOf(DType.class);
        return KernelRegistry.builder()
                .sparse(Operations.COALESCE, all, call -> coalesce(call.sparseInput(0), allocator(call)))
                .sparse(Operations.SPARSE_ADD, all, call -> add(call.sparseInput(0), call.sparseInput(1),
                        allocator(call)))
                .sparse(Operations.SPARSE_TRANSPOSE, all, call -> transpose(call.sparseInput(0), allocator(call)))
                .sparse(Operations.TO_SPARSE, all, call -> fromDense(call.input(0), allocator(call)))
                .write(Operations.SPARSE_MATMUL, all, (call, result) -> matmul(call.sparseInput(0), call.input(1),
                        result))
                .write(Operations.SPARSE_SUM, all, (call, result) -> sum(call.sparseInput(0),
                        call.attributes().get(Attribute.AXIS), result))
                .write(Operations.TO_DENSE, all, (call, result) -> toDense(call.sparseInput(0), result))
                .build();
    }

    private static Allocator allocator(KernelCall call) {
        return (dtype, shape) -> (HostStorage) call.allocate(dtype, shape);
    }

    /** The operand's memory for the length of the kernel call, which holds its reference. */
    static ByteBuffer memory(Operand operand) {
        return ((HostStorage) operand.storage()).transientBuffer();
    }

    /** Row-major positions of every stored element of COO {@code indices}. */
    public static long[] keys(ByteBuffer indices, int nnz, Shape denseShape) {
        int rank = denseShape.rank();
        long[] strides = denseShape.contiguousStrides();
        long[] keys = new long[nnz];
        for (int i = 0; i < nnz; i++) {
            long key = 0;
            for (int axis = 0; axis < rank; axis++) {
                key += indices.getLong((i * rank + axis) * Long.BYTES) * strides[axis];
            }
            keys[i] = key;
        }
        return keys;
    }

    /** Sorted, duplicates summed. */
    public static SparseParts coalesce(SparseOperand a, Allocator allocator) {
        int nnz = (int) a.nnz();
        long[] keys = keys(memory(a.indices()), nnz, a.denseShape());
        return gather(keys, StableOrder.of(keys), true, a.denseShape(), memory(a.values()), a.dtype(), allocator);
    }

    /** {@code a + b}: both sets of elements, sorted, duplicates summed. */
    public static SparseParts add(SparseOperand a, SparseOperand b, Allocator allocator) {
        int na = (int) a.nnz();
        int nb = (int) b.nnz();
        long[] keys = new long[na + nb];
        System.arraycopy(keys(memory(a.indices()), na, a.denseShape()), 0, keys, 0, na);
        System.arraycopy(keys(memory(b.indices()), nb, b.denseShape()), 0, keys, na, nb);
        int width = a.dtype().byteWidth();
        ByteBuffer values = ByteBuffer.allocate((na + nb) * width).order(java.nio.ByteOrder.nativeOrder());
        values.put(0, memory(a.values()), 0, na * width);
        values.put(na * width, memory(b.values()), 0, nb * width);
        return gather(keys, StableOrder.of(keys), true, a.denseShape(), values, a.dtype(), allocator);
    }

    /** The transpose of a rank-2 operand, sorted; duplicates kept. */
    public static SparseParts transpose(SparseOperand a, Allocator allocator) {
        int nnz = (int) a.nnz();
        ByteBuffer indices = memory(a.indices());
        long rows = a.denseShape().dim(0);
        long[] keys = new long[nnz];
        for (int i = 0; i < nnz; i++) {
            keys[i] = indices.getLong((2 * i + 1) * Long.BYTES) * rows + indices.getLong(2 * i * Long.BYTES);
        }
        Shape transposed = Shape.of(a.denseShape().dim(1), rows);
        return gather(keys, StableOrder.of(keys), false, transposed, memory(a.values()), a.dtype(), allocator);
    }

    /**
     * Result parts in {@code order}: indices decoded from the keys, values copied or, when {@code merge},
     * equal keys summed into one element.
     */
    private static SparseParts gather(long[] keys, int[] order, boolean merge, Shape shape, ByteBuffer values,
            DType dtype, Allocator allocator) {
        int n = order.length;
        int count = 0;
        boolean strictlyIncreasing = true;
        for (int i = 0; i < n; i++) {
            boolean repeat = i > 0 && keys[order[i]] == keys[order[i - 1]];
            strictlyIncreasing &= !repeat;
            if (!(merge && repeat)) {
                count++;
            }
        }
        int rank = shape.rank();
        long[] strides = shape.contiguousStrides();
        int width = dtype.byteWidth();
        HostStorage outIndices = allocator.allocate(DType.INT64, Shape.of(count, rank));
        HostStorage outValues;
        try {
            outValues = allocator.allocate(dtype, Shape.of(count));
        } catch (RuntimeException | Error e) {
            outIndices.release();
            throw e;
        }
        ByteBuffer indexBytes = outIndices.transientBuffer();
        ByteBuffer valueBytes = outValues.transientBuffer();
        int out = -1;
        for (int i = 0; i < n; i++) {
            int source = order[i];
            boolean repeat = i > 0 && keys[source] == keys[order[i - 1]];
            if (merge && repeat) {
                ElementAccess.add(valueBytes, out, values, source, dtype);
                continue;
            }
            out++;
            long key = keys[source];
            for (int axis = 0; axis < rank; axis++) {
                indexBytes.putLong((out * rank + axis) * Long.BYTES, key / strides[axis]);
                key %= strides[axis];
            }
            valueBytes.put(out * width, values, source * width, width);
        }
        return new SparseParts(outIndices, outValues, count, merge || strictlyIncreasing);
    }

    /** Dense {@code result [m, n] = a [m, k] x b [k, n]}, in time linear in nnz x n. */
    public static void matmul(SparseOperand a, Operand b, Operand result) {
        ByteBuffer indices = memory(a.indices());
        ByteBuffer values = memory(a.values());
        ByteBuffer dense = memory(b);
        ByteBuffer out = memory(result);
        zero(out, result.byteSize());
        int nnz = (int) a.nnz();
        int n = (int) b.shape().dim(1);
        DType dtype = a.dtype();
        if (dtype == DType.FLOAT32) {
            FloatBuffer in = dense.asFloatBuffer();
            FloatBuffer sum = out.asFloatBuffer();
            for (int p = 0; p < nnz; p++) {
                int row = (int) indices.getLong(2 * p * Long.BYTES) * n;
                int col = (int) indices.getLong((2 * p + 1) * Long.BYTES) * n;
                float v = values.getFloat(p * Float.BYTES);
                for (int j = 0; j < n; j++) {
                    sum.put(row + j, sum.get(row + j) + v * in.get(col + j));
                }
            }
        } else if (dtype == DType.FLOAT64) {
            DoubleBuffer in = dense.asDoubleBuffer();
            DoubleBuffer sum = out.asDoubleBuffer();
            for (int p = 0; p < nnz; p++) {
                int row = (int) indices.getLong(2 * p * Long.BYTES) * n;
                int col = (int) indices.getLong((2 * p + 1) * Long.BYTES) * n;
                double v = values.getDouble(p * Double.BYTES);
                for (int j = 0; j < n; j++) {
                    sum.put(row + j, sum.get(row + j) + v * in.get(col + j));
                }
            }
        } else {
            for (int p = 0; p < nnz; p++) {
                long row = indices.getLong(2 * p * Long.BYTES) * n;
                long col = indices.getLong((2 * p + 1) * Long.BYTES) * n;
                for (int j = 0; j < n; j++) {
                    ElementAccess.addProduct(out, row + j, values, p, dense, col + j, dtype);
                }
            }
        }
    }

    /** Dense sum along {@code axis} into {@code result}, whose shape is the dense shape without it. */
    public static void sum(SparseOperand a, int axis, Operand result) {
        ByteBuffer indices = memory(a.indices());
        ByteBuffer values = memory(a.values());
        ByteBuffer out = memory(result);
        zero(out, result.byteSize());
        int rank = a.denseShape().rank();
        long[] strides = result.shape().contiguousStrides();
        for (int p = 0; p < (int) a.nnz(); p++) {
            long target = 0;
            for (int d = 0, r = 0; d < rank; d++) {
                if (d != axis) {
                    target += indices.getLong((p * rank + d) * Long.BYTES) * strides[r++];
                }
            }
            ElementAccess.add(out, target, values, p, a.dtype());
        }
    }

    /** The dense form, duplicates summed, into {@code result}. */
    public static void toDense(SparseOperand a, Operand result) {
        ByteBuffer out = memory(result);
        zero(out, result.byteSize());
        int nnz = (int) a.nnz();
        long[] keys = keys(memory(a.indices()), nnz, a.denseShape());
        ByteBuffer values = memory(a.values());
        for (int p = 0; p < nnz; p++) {
            ElementAccess.add(out, keys[p], values, p, a.dtype());
        }
    }

    /** The non-zero elements of {@code dense}, in canonical order. */
    public static SparseParts fromDense(Operand dense, Allocator allocator) {
        ByteBuffer in = memory(dense);
        DType dtype = dense.dtype();
        int count = (int) dense.shape().elementCount();
        int nonZero = 0;
        for (int i = 0; i < count; i++) {
            if (!ElementAccess.isZero(in, dtype, i)) {
                nonZero++;
            }
        }
        long[] keys = new long[nonZero];
        for (int i = 0, k = 0; i < count; i++) {
            if (!ElementAccess.isZero(in, dtype, i)) {
                keys[k++] = i;
            }
        }
        int[] order = new int[nonZero];
        ByteBuffer values = ByteBuffer.allocate(nonZero * dtype.byteWidth()).order(java.nio.ByteOrder.nativeOrder());
        for (int k = 0; k < nonZero; k++) {
            order[k] = k;
            values.put(k * dtype.byteWidth(), in, (int) keys[k] * dtype.byteWidth(), dtype.byteWidth());
        }
        return gather(keys, order, false, dense.shape(), values, dtype, allocator);
    }

    private static void zero(ByteBuffer buffer, long bytes) {
        int i = 0;
        for (; i + Long.BYTES <= bytes; i += Long.BYTES) {
            buffer.putLong(i, 0L);
        }
        for (; i < bytes; i++) {
            buffer.put(i, (byte) 0);
        }
    }
}
