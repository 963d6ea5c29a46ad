package org.tensorbridge.backend.gpu;

import org.tensorbridge.Shape;
import org.tensorbridge.spi.IndexChecks;
import org.tensorbridge.spi.Operand;

/**
 * The checks that creating a sparse tensor runs over its parts, as device kernels: the first index
 * outside the dense shape, whether the indices are canonical, and the checked expansion of CSR parts
 * into COO indices. The answers are the spi's structured results, which the spi words the same for
 * every backend; the indices never leave the device. The dense shape's dims or strides go up (a few
 * longs) and one int comes back per check, plus the one or two values a failed check's result names.
 * Parts too long for the kernels' int positions are checked by {@code fallback} (the spi's host checks).
 *
 * <p>Thread-safe: each check runs in one locked block of the context.
 */
final class DeviceIndexChecks implements IndexChecks {
    private static final int NONE = Integer.MAX_VALUE;

    private final ClContext cl;
    private final IndexChecks fallback;

    DeviceIndexChecks(ClContext cl, IndexChecks fallback) {
        this.cl = cl;
        this.fallback = fallback;
    }

    private static DeviceStorage device(Operand operand) {
        return DeviceMemory.device(operand);
    }

    /** The entry with the lowest flat position ({@code entry * rank + axis}) outside the shape: the host check's. */
    @Override
    public InvalidIndex firstInvalidIndex(Operand indices, Shape denseShape) {
        long count = indices.shape().elementCount();
        int rank = denseShape.rank();
        if (count == 0 || rank == 0) {
            return null;
        }
        if (count >= NONE) {
            return fallback.firstInvalidIndex(indices, denseShape);
        }
        return cl.locked(q -> {
            int position = firstInvalid(q, indices, count, denseShape.toArray());
            if (position == NONE) {
                return null;
            }
            long value = q.readLong(device(indices).memory(), position);
            return new InvalidIndex(position / rank, position % rank, value);
        });
    }

    /** The lowest flat position of {@code values} outside {@code [0, dims[p % rank])}, or {@link #NONE}. */
    private static int firstInvalid(ClQueue q, Operand values, long count, long[] dims) {
        try (Scratch bounds = q.scratch(dims); Scratch first = q.scratch(Integer.BYTES)) {
            q.writeInt(first.memory(), 0, NONE);
            q.kernel(ProgramSources.COMMON, "first_invalid_index").mem(device(values)).i64(count).i32(dims.length)
                    .mem(bounds).mem(first).run(count);
            return q.readInt(first.memory(), 0);
        }
    }

    /** True if the entries' row-major keys strictly increase, as the host check decides. */
    @Override
    public boolean isCanonical(Operand indices, Shape denseShape) {
        long nnz = indices.shape().dim(0);
        if (nnz <= 1) {
            return true;
        }
        if (indices.shape().elementCount() >= NONE) {
            return fallback.isCanonical(indices, denseShape);
        }
        return cl.locked(q -> {
            try (Scratch strides = q.scratch(denseShape.contiguousStrides());
                    Scratch flag = q.scratch(Integer.BYTES)) {
                q.writeInt(flag.memory(), 0, 0);
                q.kernel(ProgramSources.COMMON, "keys_not_increasing").mem(device(indices)).i64(nnz)
                        .i32(denseShape.rank()).mem(strides).mem(flag).run(nnz);
                return q.readInt(flag.memory(), 0) == 0;
            }
        });
    }

    /** Checks indptr, then the columns, then expands them, as the host check does. */
    @Override
    public CsrProblem csrToCoo(Operand indptr, Operand columns, long columnCount, Operand coo) {
        long rows = indptr.shape().dim(0) - 1;
        long nnz = columns.shape().dim(0);
        if (rows + 1 >= NONE || nnz >= NONE) {
            return fallback.csrToCoo(indptr, columns, columnCount, coo);
        }
        return cl.locked(q -> {
            DeviceStorage pointers = device(indptr);
            int row;
            try (Scratch first = q.scratch(Integer.BYTES)) {
                q.writeInt(first.memory(), 0, NONE);
                q.kernel(ProgramSources.COMMON, "csr_first_bad_pointer").mem(pointers).i64(rows).i64(nnz).mem(first)
                        .run(rows + 1);
                row = q.readInt(first.memory(), 0);
            }
            if (row != NONE) {
                long value = q.readLong(pointers.memory(), row);
                long previous = row > 0 ? q.readLong(pointers.memory(), row - 1) : 0;
                return new BadIndptr(row, value, previous, nnz);
            }
            if (nnz == 0) {
                return null;
            }
            int entry = firstInvalid(q, columns, nnz, new long[] {columnCount});
            if (entry != NONE) {
                return new BadColumn(entry, q.readLong(device(columns).memory(), entry), columnCount);
            }
            if (rows > 0) {
                q.kernel(ProgramSources.COMMON, "csr_expand").mem(pointers).mem(device(columns)).i64(rows)
                        .mem(device(coo)).run(rows);
            }
            return null;
        });
    }
}
