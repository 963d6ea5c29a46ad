package org.tensorbridge.spi;

import java.util.concurrent.atomic.AtomicBoolean;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.TensorScope;
import org.tensorbridge.memory.Storage;

/**
 * The {@link SparseTensor} of every backend built on {@link AbstractBackend}: one reference to an
 * index storage and one to a value storage. Conversions and operations are delegated to the backend.
 */
final class BackendSparseTensor implements SparseTensor {
    private final AbstractBackend backend;
    private final Storage indices;
    private final Storage values;
    private final DType dtype;
    private final Shape denseShape;
    private final long nnz;
    private final boolean canonical;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final TensorScope scope;

    /** Takes over one reference to each storage; attaches to the thread's innermost open scope, if any. */
    BackendSparseTensor(AbstractBackend backend, Storage indices, Storage values, DType dtype, Shape denseShape,
            long nnz, boolean canonical) {
        this.backend = backend;
        this.indices = indices;
        this.values = values;
        this.dtype = dtype;
        this.denseShape = denseShape;
        this.nnz = nnz;
        this.canonical = canonical;
        this.scope = TensorScope.attachToCurrent(this);
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public Shape denseShape() {
        return denseShape;
    }

    @Override
    public long nnz() {
        return nnz;
    }

    @Override
    public boolean isCanonical() {
        return canonical;
    }

    @Override
    public Device device() {
        return backend.device();
    }

    @Override
    public Backend backend() {
        return backend;
    }

    AbstractBackend owner() {
        return backend;
    }

    @Override
    public SparseValue toSparseValue(CopyPolicy policy, Access access) {
        return backend.conversions().toSparseValue(this, policy, access);
    }

    /**
     * Both storages as a kernel operand, with a reference held on each for the caller, who releases
     * them (through {@link Pins}).
     */
    SparseOperand pin(String argument) {
        if (closed.get() || !indices.tryRetain()) {
            throw closedException(argument);
        }
        if (!values.tryRetain()) {
            indices.release();
            throw closedException(argument);
        }
        if (closed.get()) {
            indices.release();
            values.release();
            throw closedException(argument);
        }
        return new SparseOperand(new Operand(indices, DType.INT64, Shape.of(nnz, denseShape.rank())),
                new Operand(values, dtype, Shape.of(nnz)), denseShape, canonical);
    }

    /**
     * Throws {@link ClosedResourceException} naming {@code argument} if this is closed: a closed operand
     * is reported as closed before anything else is said about the call.
     */
    void requireOpen(String argument) {
        if (isClosed()) {
            throw closedException(argument);
        }
    }

    private ClosedResourceException closedException(String argument) {
        return new ClosedResourceException(argument + " (sparse " + dtype.displayName() + denseShape + ", nnz " + nnz
                + " on " + backend.name() + ") is closed; keep it open until its last use");
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            indices.release();
            values.release();
            if (scope != null) {
                scope.forget(this);
            }
        }
    }

    @Override
    public String toString() {
        return "SparseTensor(" + dtype.displayName() + denseShape + ", nnz " + nnz + (canonical ? ", canonical" : "")
                + " on " + backend.device() + (isClosed() ? ", closed)" : ")");
    }
}
