package org.tensorbridge.bench;

import org.tensorbridge.Backends;
import org.tensorbridge.Device;

/**
 * Says whether the GPU backend finds an OpenCL device, for {@code run-short-suite.sh}: prints the device
 * ({@code platform / name}) and exits 0, or prints {@code none: reason} and exits 3. The suite runs P3
 * and P5 only where there is one.
 */
public final class OpenClProbe {
    private OpenClProbe() {
    }

    /**
     * Prints the device or the reason there is none.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try {
            Device device = Backends.get("gpu").device();
            System.out.println(device.platform() + " / " + device.name());
        } catch (RuntimeException | LinkageError e) {
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getName());
            System.out.println("none: " + message);
            System.exit(3);
        }
    }
}
