package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorbridge.Shape;

/**
 * The default {@link IndexChecks}: reads the parts on the host (their own memory for a host backend, a
 * downloaded copy for device memory) and uploads an expanded CSR matrix's indices. Thread-safe.
 */
public final class HostIndexChecks implements IndexChecks {
    private final Memory memory;

    /** Checks over {@code memory}'s tensors. */
    public HostIndexChecks(Memory memory) {
        this.memory = memory;
    }

    @Override
    public InvalidIndex firstInvalidIndex(Operand indices, Shape denseShape) {
        ByteBuffer bytes = HostCopies.download(memory, indices);
        int rank = denseShape.rank();
        long nnz = indices.shape().dim(0);
        for (long i = 0; i < nnz; i++) {
            for (int axis = 0; axis < rank; axis++) {
                long value = bytes.getLong((int) ((i * rank + axis) * Long.BYTES));
                if (value < 0 || value >= denseShape.dim(axis)) {
                    return new InvalidIndex(i, axis, value);
                }
            }
        }
        return null;
    }

    @Override
    public boolean isCanonical(Operand indices, Shape denseShape) {
        long[] keys = HostSparseKernels.keys(HostCopies.download(memory, indices), (int) indices.shape().dim(0),
                denseShape);
        for (int i = 1; i < keys.length; i++) {
            if (keys[i - 1] >= keys[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public CsrProblem csrToCoo(Operand indptr, Operand columns, long columnCount, Operand coo) {
        long rows = indptr.shape().dim(0) - 1;
        long nnz = columns.shape().dim(0);
        ByteBuffer p = HostCopies.download(memory, indptr);
        ByteBuffer c = HostCopies.download(memory, columns);
        ByteBuffer expanded = ByteBuffer.allocateDirect(Math.toIntExact(nnz * 2 * Long.BYTES))
                .order(ByteOrder.nativeOrder());
        long previous = 0;
        for (int r = 0; r <= rows; r++) {
            long at = p.getLong(r * Long.BYTES);
            if ((r == 0 && at != 0) || at < previous || at > nnz || (r == rows && at != nnz)) {
                return new BadIndptr(r, at, previous, nnz);
            }
            for (long i = previous; i < at; i++) {
                expanded.putLong((int) (2 * i * Long.BYTES), r - 1);
            }
            previous = at;
        }
        for (int i = 0; i < nnz; i++) {
            long column = c.getLong(i * Long.BYTES);
            if (column < 0 || column >= columnCount) {
                return new BadColumn(i, column, columnCount);
            }
            expanded.putLong((2 * i + 1) * Long.BYTES, column);
        }
        if (nnz > 0) {
            memory.upload(expanded, coo.storage());
        }
        return null;
    }
}
