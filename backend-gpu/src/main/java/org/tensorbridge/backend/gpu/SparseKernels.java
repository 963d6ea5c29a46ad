package org.tensorbridge.backend.gpu;

import org.jocl.cl_mem;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.spi.SparseOperand;
import org.tensorbridge.spi.SparseParts;

/**
 * The sparse operations as OpenCL kernel launches. Each element's key is a row-major position
 * (in the dense shape, the transposed shape, the reduced shape or the row alone); keys are sorted on
 * the device ({@link DeviceSort}, stable), runs of equal keys found with a device prefix sum
 * ({@link Segments}), values summed per run in input order, and indices decoded from keys. Work and
 * memory grow with nnz, never with the dense size, except where the result is dense ({@code matmul},
 * {@code sum}, {@code toDense}).
 *
 * <p>What crosses to the host: one int per operation that makes a sparse result (the result's nnz,
 * which sizes its memory) or for the transpose's canonical flag. No element does.
 *
 * <p>One per locked block: it drives the {@link ClQueue} it was made with. Results are allocated
 * through the kernel call's {@link Allocator} (the backend's memory), so they are counted by its ledger;
 * on failure every allocated result is released. Not thread-safe.
 */
final class SparseKernels {
    /** Result memory of the backend: {@code spi.KernelCall::allocate}. */
    @FunctionalInterface
    interface Allocator {
        /** New memory for a {@code dtype} array of {@code shape}, one reference, contents unspecified. */
        Storage allocate(DType dtype, Shape shape);
    }

    private final ClQueue cl;
    private final Allocator allocator;
    private final DeviceSort sorter;

    SparseKernels(ClQueue cl, Allocator allocator) {
        this.cl = cl;
        this.allocator = allocator;
        this.sorter = new DeviceSort(cl);
    }

    /** Sorted, duplicates summed; a canonical operand is shared, not copied. */
    SparseParts coalesce(SparseOperand a) {
        if (a.canonical()) {
            a.indices().storage().retain();
            a.values().storage().retain();
            return new SparseParts(a.indices().storage(), a.values().storage(), a.nnz(), true);
        }
        long n = a.nnz();
        try (Scratch keys = cl.scratch(DeviceSort.paddedLength(n) * Long.BYTES)) {
            writeKeys(a, allAxes(a.denseShape().rank()), a.denseShape().contiguousStrides(), keys.memory());
            return merge(keys, n, memory(a.values()), a.dtype(), a.denseShape());
        }
    }

    /** {@code a + b}: both sets of elements, sorted, duplicates summed. */
    SparseParts add(SparseOperand a, SparseOperand b) {
        long na = a.nnz();
        long n = na + b.nnz();
        Shape shape = a.denseShape();
        int width = a.dtype().byteWidth();
        int[] axes = allAxes(shape.rank());
        long[] strides = shape.contiguousStrides();
        try (Scratch keys = cl.scratch(DeviceSort.paddedLength(n) * Long.BYTES);
                Scratch keysB = cl.scratch(b.nnz() * Long.BYTES);
                Scratch values = cl.scratch(n * width)) {
            writeKeys(a, axes, strides, keys.memory());
            writeKeys(b, axes, strides, keysB.memory());
            cl.copy(keysB.memory(), 0, keys.memory(), na * Long.BYTES, b.nnz() * Long.BYTES);
            cl.copy(memory(a.values()), 0, values.memory(), 0, na * width);
            cl.copy(memory(b.values()), 0, values.memory(), na * width, b.nnz() * width);
            return merge(keys, n, values.memory(), a.dtype(), shape);
        }
    }

    /** Rank-2 transpose, sorted, duplicates kept. */
    SparseParts transpose(SparseOperand a) {
        long n = a.nnz();
        long rows = a.denseShape().dim(0);
        Shape transposed = Shape.of(a.denseShape().dim(1), rows);
        int width = a.dtype().byteWidth();
        if (n == 0) {
            return parts(0, 2, a.dtype(), (indices, values) -> { }, true);
        }
        try (Scratch keys = cl.scratch(DeviceSort.paddedLength(n) * Long.BYTES)) {
            writeKeys(a, new int[] {1, 0}, transposed.contiguousStrides(), keys.memory());
            try (Scratch pos = sorter.sort(keys, n)) {
                boolean canonical = a.canonical() || n == 1 || distinct(keys, n);
                return parts(n, 2, a.dtype(), (indices, values) -> {
                    cl.kernel(ProgramSources.COMMON, "gather_" + width).mem(memory(a.values())).mem(pos).i64(n)
                            .mem(values).run(n);
                    decode(keys.memory(), n, transposed, indices);
                }, canonical);
            }
        }
    }

    /** The non-zero elements of {@code dense}, canonical. */
    SparseParts toSparse(Operand dense) {
        long n = dense.shape().elementCount();
        Shape shape = dense.shape();
        int width = dense.dtype().byteWidth();
        if (n == 0) {
            return parts(0, shape.rank(), dense.dtype(), (indices, values) -> { }, true);
        }
        try (Scratch flags = cl.scratch(n * Integer.BYTES)) {
            cl.kernel(dense.dtype(), "nonzero_flags").mem(memory(dense)).i64(n).mem(flags).run(n);
            try (Scratch scan = new DeviceScan(cl).inclusive(flags, n)) {
                long count = cl.readInt(scan.memory(), n - 1);
                try (Scratch positions = cl.scratch(count * Long.BYTES)) {
                    cl.kernel(ProgramSources.COMMON, "compact_positions").mem(flags).mem(scan).i64(n).mem(positions)
                            .run(n);
                    return parts(count, shape.rank(), dense.dtype(), (indices, values) -> {
                        cl.kernel(ProgramSources.COMMON, "gather_" + width).mem(memory(dense)).mem(positions)
                                .i64(count).mem(values).run(count);
                        decode(positions.memory(), count, shape, indices);
                    }, true);
                }
            }
        }
    }

    /** Dense {@code result [m, n] = a [m, k] x b [k, n]}: each row's entries in input order. */
    void matmul(SparseOperand a, Operand b, Operand result) {
        long nnz = a.nnz();
        long m = result.shape().dim(0);
        long n = result.shape().dim(1);
        if (nnz == 0) {
            zero(result);
            return;
        }
        try (Scratch keys = cl.scratch(DeviceSort.paddedLength(nnz) * Long.BYTES)) {
            writeKeys(a, new int[] {0}, new long[] {1}, keys.memory());
            try (Scratch pos = sorter.sort(keys, nnz); Scratch rowStarts = cl.scratch((m + 1) * Long.BYTES)) {
                cl.kernel(ProgramSources.COMMON, "row_pointers").mem(keys).i64(nnz).i64(m).mem(rowStarts).run(m + 1);
                cl.kernel(a.dtype(), "sparse_matmul").mem(memory(a.indices()))
                        .mem(memory(a.values())).mem(pos).mem(rowStarts).mem(memory(b)).i64(m).i64(n)
                        .mem(memory(result)).run2d(n, m);
            }
        }
    }

    /** Dense sum along {@code axis}: entries grouped by their position in the result, summed in input order. */
    void sum(SparseOperand a, int axis, Operand result) {
        long nnz = a.nnz();
        zero(result);
        if (nnz == 0) {
            return;
        }
        int rank = a.denseShape().rank();
        int[] axes = new int[rank - 1];
        for (int d = 0, r = 0; d < rank; d++) {
            if (d != axis) {
                axes[r++] = d;
            }
        }
        try (Scratch keys = cl.scratch(DeviceSort.paddedLength(nnz) * Long.BYTES)) {
            writeKeys(a, axes, result.shape().contiguousStrides(), keys.memory());
            scatterSums(keys, nnz, memory(a.values()), a.dtype(), result);
        }
    }

    /** The dense form, duplicates summed. */
    void toDense(SparseOperand a, Operand result) {
        long nnz = a.nnz();
        zero(result);
        if (nnz == 0) {
            return;
        }
        Shape shape = a.denseShape();
        try (Scratch keys = cl.scratch(DeviceSort.paddedLength(nnz) * Long.BYTES)) {
            writeKeys(a, allAxes(shape.rank()), shape.contiguousStrides(), keys.memory());
            if (a.canonical()) {
                cl.kernel(ProgramSources.COMMON, "scatter_" + a.dtype().byteWidth()).mem(memory(a.values()))
                        .mem(keys).i64(nnz).mem(memory(result)).run(nnz);
                return;
            }
            scatterSums(keys, nnz, memory(a.values()), a.dtype(), result);
        }
    }

    // ---- shared steps ----

    /** Sorts {@code keys[0, n)}, sums each run of equal keys and writes the sums at their keys in {@code result}. */
    private void scatterSums(Scratch keys, long n, cl_mem values, DType dtype, Operand result) {
        try (Scratch pos = sorter.sort(keys, n); Segments runs = Segments.of(cl, keys, n);
                Scratch sums = cl.scratch(runs.count() * dtype.byteWidth())) {
            long count = runs.count();
            cl.kernel(dtype, "segment_sum").mem(values).mem(pos).mem(runs.heads()).i64(count)
                    .mem(sums).run(count);
            cl.kernel(ProgramSources.COMMON, "scatter_" + dtype.byteWidth()).mem(sums).mem(runs.keys()).i64(count)
                    .mem(memory(result)).run(count);
        }
    }

    /** Sorts {@code keys[0, n)} and merges equal keys, summing their values: a canonical result. */
    private SparseParts merge(Scratch keys, long n, cl_mem values, DType dtype, Shape shape) {
        if (n == 0) {
            return parts(0, shape.rank(), dtype, (indices, out) -> { }, true);
        }
        try (Scratch pos = sorter.sort(keys, n); Segments runs = Segments.of(cl, keys, n)) {
            long count = runs.count();
            return parts(count, shape.rank(), dtype, (indices, out) -> {
                cl.kernel(dtype, "segment_sum").mem(values).mem(pos).mem(runs.heads()).i64(count)
                        .mem(out).run(count);
                decode(runs.keys().memory(), count, shape, indices);
            }, true);
        }
    }

    private boolean distinct(Scratch sortedKeys, long n) {
        try (Segments runs = Segments.of(cl, sortedKeys, n)) {
            return runs.count() == n;
        }
    }

    /** {@code target[i] = sum over d of indices[i, axes[d]] * strides[d]} for each stored element. */
    private void writeKeys(SparseOperand a, int[] axes, long[] strides, cl_mem target) {
        long nnz = a.nnz();
        if (nnz == 0) {
            return;
        }
        long[] meta = new long[2 * axes.length];
        for (int d = 0; d < axes.length; d++) {
            meta[d] = axes[d];
            meta[axes.length + d] = strides[d];
        }
        try (Scratch m = cl.scratch(meta)) {
            cl.kernel(ProgramSources.COMMON, "sparse_keys").mem(memory(a.indices())).i32(a.denseShape().rank()).mem(m)
                    .i32(axes.length).i64(nnz).mem(target).run(nnz);
        }
    }

    /** Indices of {@code keys[0, count)} in {@code shape}, written to {@code indices}. */
    private void decode(cl_mem keys, long count, Shape shape, DeviceStorage indices) {
        if (shape.rank() == 0 || count == 0) {
            return;
        }
        try (Scratch strides = cl.scratch(shape.contiguousStrides())) {
            cl.kernel(ProgramSources.COMMON, "decode_keys").mem(keys).i64(count).i32(shape.rank()).mem(strides)
                    .mem(indices).run(count);
        }
    }

    private void zero(Operand result) {
        DeviceMemory.fill(cl, result, new byte[result.dtype().byteWidth()]);
    }

    /** What a result's kernels write into its freshly allocated index and value memory. */
    private interface Writer {
        void write(DeviceStorage indices, DeviceStorage values);
    }

    private SparseParts parts(long count, int rank, DType dtype, Writer writer, boolean canonical) {
        DeviceStorage indices = (DeviceStorage) allocator.allocate(DType.INT64, Shape.of(count, rank));
        DeviceStorage values;
        try {
            values = (DeviceStorage) allocator.allocate(dtype, Shape.of(count));
        } catch (RuntimeException | Error e) {
            indices.release();
            throw e;
        }
        try {
            if (count > 0) {
                writer.write(indices, values);
            }
            return new SparseParts(indices, values, count, canonical);
        } catch (RuntimeException | Error e) {
            indices.release();
            values.release();
            throw e;
        }
    }

    private static int[] allAxes(int rank) {
        int[] axes = new int[rank];
        for (int d = 0; d < rank; d++) {
            axes[d] = d;
        }
        return axes;
    }

    private static cl_mem memory(Operand operand) {
        return ((DeviceStorage) operand.storage()).memory();
    }
}
