package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.CsrValue;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.Sharing;
import org.tensorbridge.SparseValue;

/**
 * The {@link SparseValue} of backends built on this toolkit: two {@link BufferHostArray}s over host
 * storages, which it keeps so that a CSR view can share the value memory. Thread-safe.
 */
final class HostSparseValue implements SparseValue {
    private final BufferHostArray indices;
    private final BufferHostArray values;
    private final HostStorage indexStorage;
    private final HostStorage valueStorage;
    private final Shape denseShape;
    private final boolean canonical;
    private final Device device;
    private final MemoryLedger ledger;
    private final AtomicBoolean closed = new AtomicBoolean();

    HostSparseValue(BufferHostArray indices, HostStorage indexStorage, BufferHostArray values, HostStorage valueStorage,
            Shape denseShape, boolean canonical, Device device, MemoryLedger ledger) {
        this.indices = indices;
        this.values = values;
        this.indexStorage = indexStorage;
        this.valueStorage = valueStorage;
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
        DType dtype = dtype();
        ByteBuffer coo = indices.asByteBuffer();
        int[][] order = new int[1][];
        long[] indptr = HostSparseKernels.indptr(coo, nnz, denseShape.dim(0), order);
        HostStorage pointerStorage = HostStorage.allocate((long) indptr.length * Long.BYTES, ledger);
        pointerStorage.buffer().asLongBuffer().put(indptr);
        HostStorage columnStorage = HostStorage.allocate((long) nnz * Long.BYTES, ledger);
        ByteBuffer columns = columnStorage.buffer();
        int[] permutation = order[0];
        for (int i = 0; i < nnz; i++) {
            int source = permutation == null ? i : permutation[i];
            columns.putLong(i * Long.BYTES, coo.getLong((2 * source + 1) * Long.BYTES));
        }
        BufferHostArray csrValues;
        if (permutation == null) {
            // Same order as the COO values: share their memory.
            valueStorage.retain();
            csrValues = new BufferHostArray(valueStorage, dtype, values.shape(), device, Sharing.SHARED, 0,
                    values.isReadOnly());
        } else {
            HostStorage copy = HostStorage.allocate(values.byteSize(), ledger);
            ByteBuffer from = values.asByteBuffer();
            ByteBuffer to = copy.buffer();
            int width = dtype.byteWidth();
            for (int i = 0; i < nnz; i++) {
                to.put(i * width, from, permutation[i] * width, width);
            }
            csrValues = new BufferHostArray(copy, dtype, values.shape(), device, Sharing.INDEPENDENT, values.byteSize(),
                    values.isReadOnly());
        }
        return new HostCsrValue(
                new BufferHostArray(pointerStorage, DType.INT64, Shape.of(indptr.length), device, Sharing.INDEPENDENT,
                        pointerStorage.byteSize(), true),
                new BufferHostArray(columnStorage, DType.INT64, Shape.of(nnz), device, Sharing.INDEPENDENT,
                        columnStorage.byteSize(), true),
                csrValues, denseShape, canonical);
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
