package org.tensorbridge.backend.gpu;

import org.tensorbridge.Shape;
import org.tensorbridge.spi.CsrMessages;
import org.tensorbridge.spi.Operand;

/**
 * The checks that creating a sparse tensor runs over its indices ({@code int64 [nnz, rank]}), as device
 * kernels: the first index outside the dense shape, and whether the indices are canonical; and the
 * checked expansion of CSR parts into COO indices. The indices never leave the device; the dense
 * shape's dims or strides go up (a few longs) and one int comes back, plus, when an entry is invalid,
 * the one or two values its message names.
 *
 * <p>Stateless apart from the context; call with the context lock held.
 */
final class IndexChecks {
    private static final int NONE = Integer.MAX_VALUE;

    private final ClContext cl;

    IndexChecks(ClContext cl) {
        this.cl = cl;
    }

    /** True if the check fits the kernels' int positions; the spi's host check runs otherwise. */
    static boolean fits(Operand indices) {
        return indices.shape().elementCount() < NONE;
    }

    /**
     * The message of {@code HostSparseKernels.firstInvalidIndex}, word for word, for the entry with the
     * lowest flat position ({@code i * rank + axis}) outside {@code denseShape}, or null.
     */
    String firstInvalidIndex(Operand indices, Shape denseShape) {
        long count = indices.shape().elementCount();
        int rank = denseShape.rank();
        if (count == 0 || rank == 0) {
            return null;
        }
        int position;
        try (Scratch dims = cl.scratch(denseShape.toArray()); Scratch first = cl.scratch(Integer.BYTES)) {
            cl.writeInt(first.memory(), 0, NONE);
            cl.kernel(ProgramSources.COMMON, "first_invalid_index").mem(DenseKernels.device(indices)).i64(count)
                    .i32(rank).mem(dims).mem(first).run(count);
            position = cl.readInt(first.memory(), 0);
        }
        if (position == NONE) {
            return null;
        }
        long value = cl.readLong(DenseKernels.device(indices).memory(), position);
        long i = position / rank;
        int axis = position % rank;
        long size = denseShape.dim(axis);
        return "indices[" + i + ", " + axis + "] is " + value + " but axis " + axis + " of dense shape " + denseShape
                + " has size " + size + "; every index must be in [0, " + size + ")";
    }

    /** True if the entries' row-major keys strictly increase, as {@code HostSparseKernels.isCanonical} decides. */
    boolean isCanonical(Operand indices, Shape denseShape) {
        long nnz = indices.shape().dim(0);
        if (nnz <= 1) {
            return true;
        }
        try (Scratch strides = cl.scratch(denseShape.contiguousStrides()); Scratch flag = cl.scratch(Integer.BYTES)) {
            cl.writeInt(flag.memory(), 0, 0);
            cl.kernel(ProgramSources.COMMON, "keys_not_increasing").mem(DenseKernels.device(indices)).i64(nnz)
                    .i32(denseShape.rank()).mem(strides).mem(flag).run(nnz);
            return cl.readInt(flag.memory(), 0) == 0;
        }
    }

    /** True if the CSR kernels' int row positions and column positions hold these parts. */
    static boolean fitsCsr(Operand indptr, Operand columns) {
        return indptr.shape().dim(0) < NONE && columns.shape().dim(0) < NONE;
    }

    /** {@code AbstractBackend.csrToCoo} on the device: checks indptr, then the columns, then expands. */
    void csrToCoo(Operand indptr, Operand columns, long columnCount, Operand coo) {
        long rows = indptr.shape().dim(0) - 1;
        long nnz = columns.shape().dim(0);
        DeviceStorage pointers = DenseKernels.device(indptr);
        DeviceStorage cols = DenseKernels.device(columns);
        int row;
        try (Scratch first = cl.scratch(Integer.BYTES)) {
            cl.writeInt(first.memory(), 0, NONE);
            cl.kernel(ProgramSources.COMMON, "csr_first_bad_pointer").mem(pointers).i64(rows).i64(nnz).mem(first)
                    .run(rows + 1);
            row = cl.readInt(first.memory(), 0);
        }
        if (row != NONE) {
            long value = cl.readLong(pointers.memory(), row);
            long previous = row > 0 ? cl.readLong(pointers.memory(), row - 1) : 0;
            throw new IllegalArgumentException(CsrMessages.badIndptr(row, value, previous, nnz));
        }
        if (nnz == 0) {
            return;
        }
        int position;
        try (Scratch dims = cl.scratch(new long[] {columnCount}); Scratch first = cl.scratch(Integer.BYTES)) {
            cl.writeInt(first.memory(), 0, NONE);
            cl.kernel(ProgramSources.COMMON, "first_invalid_index").mem(cols).i64(nnz).i32(1).mem(dims).mem(first)
                    .run(nnz);
            position = cl.readInt(first.memory(), 0);
        }
        if (position != NONE) {
            throw new IndexOutOfBoundsException(CsrMessages.badColumn(position,
                    cl.readLong(cols.memory(), position), columnCount));
        }
        if (rows > 0) {
            cl.kernel(ProgramSources.COMMON, "csr_expand").mem(pointers).mem(cols).i64(rows)
                    .mem(DenseKernels.device(coo)).run(rows);
        }
    }
}
