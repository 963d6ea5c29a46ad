package org.tensorbridge;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Closes the tensors created inside it, as TensorFlow Java's {@code TensorScope} and DJL's
 * {@code NDManager} do, so that fluent chains such as {@code a.multiply(a.add(1))} leave no
 * intermediate open:
 *
 * <pre>{@code
 * try (TensorScope scope = TensorScope.open()) {
 *     Tensor a = cpu.constant(new float[] {1, 2});
 *     Tensor result = scope.detach(a.multiply(a.add(1)));   // kept; a and a.add(1) are closed
 * }
 * }</pre>
 *
 * <p>Every dense and sparse tensor that a backend creates on this thread while the scope is the
 * thread's innermost open scope is attached to it; {@link #close()} closes those not closed yet and not
 * {@linkplain #detach detached}, newest first. Host arrays, graphs and sessions are not attached: close
 * them in try-with-resources. Scopes nest; an inner scope's tensors belong to it alone.
 *
 * <p>Thread-safety: a scope belongs to the thread that opened it, and only that thread's tensors are
 * attached; it must be closed on that thread. Tensors attached to it may be closed or detached from
 * any thread.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();

    private final TensorScope parent;
    private final Thread owner;
    /** Attached tensors and the order they were attached in; guarded by itself. */
    private final Map<AnyTensor, Long> attached = new IdentityHashMap<>();
    private long attachedSoFar;
    private boolean closed;

    private TensorScope(TensorScope parent) {
        this.parent = parent;
        this.owner = Thread.currentThread();
    }

    /** Opens a scope and makes it this thread's innermost one until it is closed. */
    public static TensorScope open() {
        TensorScope scope = new TensorScope(CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /**
     * Attaches a new tensor to this thread's innermost open scope, if there is one. Backends call it
     * for every tensor they create; applications have no need to.
     *
     * @return the scope it was attached to, or null
     */
    public static TensorScope attachToCurrent(AnyTensor tensor) {
        TensorScope scope = CURRENT.get();
        if (scope != null) {
            synchronized (scope.attached) {
                scope.attached.put(tensor, scope.attachedSoFar++);
            }
        }
        return scope;
    }

    /**
     * Detaches {@code tensor} from this thread's innermost open scope if it is attached there, for
     * library code that keeps a tensor it just created beyond any scope of its caller (a graph's
     * constants). Returns it.
     */
    public static <T extends AnyTensor> T detachFromCurrent(T tensor) {
        TensorScope scope = CURRENT.get();
        if (scope != null) {
            scope.forget(tensor);
        }
        return tensor;
    }

    /**
     * Removes {@code tensor} from this scope, which will then not close it: the caller owns it. Returns
     * it, for {@code Tensor kept = scope.detach(a.add(b))}.
     *
     * @throws IllegalArgumentException if it is not attached to this scope
     */
    public <T extends AnyTensor> T detach(T tensor) {
        Long removed;
        synchronized (attached) {
            removed = attached.remove(tensor);
        }
        if (removed == null) {
            throw new IllegalArgumentException("the tensor " + tensor + " is not attached to this scope: it was created "
                    + "outside it, on another thread, or detached already");
        }
        return tensor;
    }

    /** Forgets a tensor that was closed by its owner, so a long-lived scope holds no closed tensors. */
    public void forget(AnyTensor tensor) {
        synchronized (attached) {
            attached.remove(tensor);
        }
    }

    /** True if {@code tensor} is attached to this scope. */
    public boolean holds(AnyTensor tensor) {
        synchronized (attached) {
            return attached.containsKey(tensor);
        }
    }

    /**
     * Closes every attached tensor, newest first, and makes the enclosing scope this thread's innermost
     * again. Idempotent.
     *
     * @throws IllegalStateException if called on another thread than the one that opened it
     */
    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a tensor scope was closed on thread " + Thread.currentThread().getName()
                    + " but opened on " + owner.getName() + "; close it where it was opened (try-with-resources does)");
        }
        if (closed) {
            return;
        }
        closed = true;
        if (CURRENT.get() == this) {
            CURRENT.set(parent);
        }
        List<Map.Entry<AnyTensor, Long>> toClose;
        synchronized (attached) {
            toClose = new ArrayList<>();
            attached.forEach((tensor, order) -> toClose.add(Map.entry(tensor, order)));
            attached.clear();
        }
        toClose.sort(Map.Entry.<AnyTensor, Long>comparingByValue().reversed());
        toClose.forEach(entry -> entry.getKey().close());
    }
}
