package org.tensorbridge.spi;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.TensorScope;
import org.tensorbridge.memory.Storage;

/**
 * The {@link Tensor} of every backend built on {@link AbstractBackend}: a dtype, a shape and one
 * reference to a {@link Storage}. Conversions and operations are delegated to the backend, which
 * enforces the contract once for all backends. Thread-safe.
 */
final class BackendTensor implements Tensor {
    private final AbstractBackend backend;
    private final Storage storage;
    private final DType dtype;
    private final Shape shape;
    private static final AtomicIntegerFieldUpdater<BackendTensor> CLOSED =
            AtomicIntegerFieldUpdater.newUpdater(BackendTensor.class, "closed");

    /** 1 once closed; a field rather than an AtomicBoolean, since every operation makes a tensor. */
    private volatile int closed;
    private final TensorScope scope;

    /**
     * Takes over one reference to {@code storage}, released by {@link #close()}; attaches to the calling
     * thread's innermost open {@link TensorScope}, if any.
     */
    BackendTensor(AbstractBackend backend, Storage storage, DType dtype, Shape shape) {
        this.backend = backend;
        this.storage = storage;
        this.dtype = dtype;
        this.shape = shape;
        this.scope = TensorScope.attachToCurrent(this);
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public Shape shape() {
        return shape;
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
    public HostArray toHost(CopyPolicy policy, Access access) {
        return backend.conversions().toHost(this, policy, access);
    }

    /**
     * The tensor's memory as a kernel operand, with a reference held for the caller, who must
     * release {@code operand.storage()} when done (through {@link Pins}).
     *
     * @throws ClosedResourceException if the tensor is closed, naming {@code argument}
     */
    Operand pin(String argument) {
        if (closed != 0 || !storage.tryRetain()) {
            throw closedException(argument);
        }
        if (closed != 0) {
            // Closed between the check and the retain: behave as if the close came first.
            storage.release();
            throw closedException(argument);
        }
        return new Operand(storage, dtype, shape);
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
        return new ClosedResourceException(argument + " (" + dtype.displayName() + shape + " on " + backend.name()
                + ") is closed; keep a tensor open until its last use, or take a host array before closing it");
    }

    @Override
    public boolean isClosed() {
        return closed != 0;
    }

    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, 0, 1)) {
            storage.release();
            if (scope != null) {
                scope.forget(this);
            }
        }
    }

    @Override
    public String toString() {
        return "Tensor(" + dtype.displayName() + shape + " on " + backend.device() + (isClosed() ? ", closed)" : ")");
    }
}
