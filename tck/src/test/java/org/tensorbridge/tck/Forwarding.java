package org.tensorbridge.tck;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;

/**
 * Wraps a correct backend so that one behaviour can be broken on purpose: every tensor it returns is
 * a proxy whose {@code toHost} and {@code close} go through a {@link Twist}. Operations unwrap their
 * tensor arguments and wrap their results, so the rest of the backend behaves correctly.
 */
final class Forwarding {
    private Forwarding() {
    }

    /** The behaviour a broken backend changes; the defaults are correct. */
    interface Twist {
        default HostArray toHost(Tensor real, CopyPolicy policy, Access access) {
            return real.toHost(policy, access);
        }

        default void close(Tensor real) {
            real.close();
        }

        default org.tensorbridge.BackendCapabilities capabilities(org.tensorbridge.BackendCapabilities real) {
            return real;
        }
    }

    static Backend backend(Backend real, Twist twist) {
        Backend[] self = new Backend[1];
        self[0] = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.isDefault()) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    if (method.getName().equals("capabilities")) {
                        return twist.capabilities(real.capabilities());
                    }
                    Object result = call(method, real, unwrap(args));
                    if (result instanceof Tensor tensor) {
                        return tensor(tensor, self[0], twist);
                    }
                    if (result instanceof Graph graph) {
                        return unwrapping(Graph.class, graph);
                    }
                    return result instanceof SparseTensor sparse ? sparse(sparse, self[0]) : result;
                });
        return self[0];
    }

    private static Tensor tensor(Tensor real, Backend outer, Twist twist) {
        return (Tensor) Proxy.newProxyInstance(Tensor.class.getClassLoader(), new Class<?>[] {Tensor.class},
                new TensorHandler(real, outer, twist));
    }

    /** Sparse tensors are not twisted; they only report the outer backend so their operations unwrap. */
    private static SparseTensor sparse(SparseTensor real, Backend outer) {
        return (SparseTensor) Proxy.newProxyInstance(SparseTensor.class.getClassLoader(),
                new Class<?>[] {SparseTensor.class}, new SparseHandler(real, outer));
    }

    private record SparseHandler(SparseTensor real, Backend outer) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("backend")) {
                return outer;
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return call(method, real, args);
        }
    }

    private record TensorHandler(Tensor real, Backend outer, Twist twist) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "toHost" -> {
                    CopyPolicy policy = args == null ? CopyPolicy.IF_NEEDED : (CopyPolicy) args[0];
                    Access access = args == null || args.length < 2 ? Access.READ_ONLY : (Access) args[1];
                    return twist.toHost(real, policy, access);
                }
                case "close" -> {
                    twist.close(real);
                    return null;
                }
                case "backend" -> {
                    return outer;
                }
                default -> {
                    if (method.isDefault()) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    return call(method, real, args);
                }
            }
        }
    }

    /**
     * A graph or session whose arguments are unwrapped before they reach the real one, so that
     * tensors of the broken backend can be constants and feeds; sessions it returns unwrap too.
     */
    @SuppressWarnings("unchecked")
    private static <T> T unwrapping(Class<T> type, T real) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            Object[] unwrapped = unwrap(args);
            if (unwrapped != null) {
                for (int i = 0; i < unwrapped.length; i++) {
                    if (unwrapped[i] instanceof java.util.Map<?, ?> map) {
                        java.util.Map<Object, Object> copy = new java.util.LinkedHashMap<>();
                        map.forEach((k, v) -> copy.put(k, unwrap(new Object[] {v})[0]));
                        unwrapped[i] = copy;
                    }
                }
            }
            Object result = call(method, real, unwrapped);
            return result instanceof Session session ? unwrapping(Session.class, session) : result;
        });
    }

    private static Object[] unwrap(Object[] args) {
        if (args == null) {
            return null;
        }
        Object[] unwrapped = args.clone();
        for (int i = 0; i < unwrapped.length; i++) {
            if (unwrapped[i] instanceof org.tensorbridge.AnyTensor[] inputs) {
                // The varargs of apply: a new array of the same type, each element unwrapped.
                Object[] elements = unwrap(inputs);
                org.tensorbridge.AnyTensor[] copy = inputs.clone();
                System.arraycopy(elements, 0, copy, 0, elements.length);
                unwrapped[i] = copy;
            } else if (unwrapped[i] != null && Proxy.isProxyClass(unwrapped[i].getClass())) {
                InvocationHandler handler = Proxy.getInvocationHandler(unwrapped[i]);
                if (handler instanceof TensorHandler tensor) {
                    unwrapped[i] = tensor.real();
                } else if (handler instanceof SparseHandler sparse) {
                    unwrapped[i] = sparse.real();
                }
            }
        }
        return unwrapped;
    }

    /** A host array that answers {@code overrides} itself and forwards the rest to {@code real}. */
    static HostArray hostArray(HostArray real, java.util.Map<String, java.util.function.Function<Object[], Object>> overrides) {
        return (HostArray) Proxy.newProxyInstance(HostArray.class.getClassLoader(), new Class<?>[] {HostArray.class},
                (proxy, method, args) -> {
                    var override = overrides.get(method.getName());
                    if (override != null) {
                        return override.apply(args);
                    }
                    if (method.isDefault()) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    return call(method, real, args);
                });
    }

    private static Object call(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
