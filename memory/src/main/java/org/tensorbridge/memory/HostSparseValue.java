package org.tensorbridge.memory;

import java.util.concurrent.atomic.AtomicBoolean;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.CsrValue;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseValue;

/**
 * The {@link SparseValue} of backends built on this toolkit: two {@link BufferHostArray}s over host
 * storages, which it keeps so that a CSR view can share the value memory. Thread-safe.
 */
final class HostSparseValue implements SparseValue {
    private final BufferHostArray indices;
    private final BufferHostArray values;
    private final Shape denseShape;
    private final boolean canonical;
    private final Device device;
    private final MemoryLedger ledger;
    private final AtomicBoolean closed = new AtomicBoolean();

    HostSparseValue(BufferHostArray indices, BufferHostArray values, Shape denseShape, boolean canonical,
            Device device, MemoryLedger ledger) {
        this.indices = indices;
        this.values = values;
        this.denseShape = denseShape;
        this.canonical = canonical;
        this.device = device;
        this.ledger = ledger;
    }

    @Override
    public HostArray indices() {
        return indices;
    }

    @Override
    public HostArray values() {
        return values;
    }

    @Override
    public Shape denseShape() {
        return denseShape;
    }

    @Override
    public boolean isCanonical() {
        return canonical;
    }

    @Override
    public CsrValue toCsr() {
        if (closed.get()) {
            throw new ClosedResourceException("this sparse value was closed; convert the sparse tensor again");
        }
        if (denseShape.rank() != 2) {
            throw new ShapeMismatchException("toCsr() needs a rank-2 sparse value but the dense shape is " + denseShape
                    + "; CSR is defined for matrices only");
        }
        int nnz = (int) nnz();
        // Read inside accesses of both arrays: a close() racing this defers the release until they end, or this
        // throws; the memory, which may be another library's, is never read after its release.
        return indices.read(coo -> {
            int[][] order = new int[1][];
            long[] indptr = CsrLayout.indptr(coo, nnz, denseShape.dim(0), order);
            int[] permutation = order[0];
            BufferHostArray pointers = HostArrays.copy(DType.INT64, Shape.of(indptr.length), device, true, ledger,
                    buffer -> buffer.asLongBuffer().put(indptr));
            BufferHostArray columns = null;
            try {
                columns = HostArrays.copy(DType.INT64, Shape.of(nnz), device, true, ledger, buffer -> {
                    for (int i = 0; i < nnz; i++) {
                        int source = permutation == null ? i : permutation[i];
                        buffer.putLong(i * Long.BYTES, coo.getLong((2 * source + 1) * Long.BYTES));
                    }
                });
                return new HostCsrValue(pointers, columns, csrValues(permutation), denseShape, canonical);
            } catch (RuntimeException | Error e) {
                pointers.close();
                if (columns != null) {
                    columns.close();
                }
                throw e;
            }
        });
    }

    /** The values in row order: the COO values themselves (shared) when already in it, else a copy. */
    private BufferHostArray csrValues(int[] permutation) {
        return values.read(from -> {
            if (permutation == null) {
                // The access holds the memory, so this reference is taken on live memory, and the share keeps it.
                HostStorage storage = values.storage();
                storage.retain();
                return HostArrays.sharePinned(storage, values.dtype(), values.shape(), device, values.isReadOnly());
            }
            int width = values.dtype().byteWidth();
            return HostArrays.copy(values.dtype(), values.shape(), device, values.isReadOnly(), ledger, to -> {
                for (int i = 0; i < permutation.length; i++) {
                    to.put(i * width, from, permutation[i] * width, width);
                }
            });
        });
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            indices.close();
            values.close();
        }
    }

    @Override
    public String toString() {
        return "SparseValue(" + dtype().displayName() + denseShape + ", nnz " + nnz() + (canonical ? ", canonical" : "")
                + ", indices " + indices.sharing() + ", values " + values.sharing() + ")";
    }

    /** Keeps the CSR arrays together; closing closes all three. */
    private record HostCsrValue(HostArray indptr, HostArray indices, HostArray values, Shape denseShape,
            boolean isCanonical) implements CsrValue {
        @Override
        public void close() {
            indptr.close();
            indices.close();
            values.close();
        }
    }
}
