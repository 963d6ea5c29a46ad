package org.example.app;

import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.HostArray;
import org.tensorbridge.Tensor;

/**
 * TensorFlow's {@code multiply(a, add(a, 1)).numpy()} through the tensorbridge api, on the cpu backend
 * that {@link Backends} finds at run time, with the host array's sharing report and the modules the
 * api and the backend were loaded from.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Backend cpu = Backends.get("cpu");
        System.out.println("api: " + origin(Backend.class));
        System.out.println("backend " + cpu.name() + ": " + origin(cpu.getClass()));
        try (Tensor a = cpu.constant(new int[][] {{1, 2}, {3, 4}});
                Tensor b = a.add(1);
                Tensor product = a.multiply(b);
                HostArray view = product.toHost()) {
            System.out.println("multiply(a, add(a, 1)) = " + view.formatValues() + "  sharing=" + view.sharing()
                    + " bytesCopied=" + view.bytesCopied() + " readOnly=" + view.isReadOnly());
        }
    }

    private static String origin(Class<?> type) {
        Module module = type.getModule();
        return module.isNamed() ? "module " + module.getName() : "the class path";
    }
}
