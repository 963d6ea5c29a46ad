package org.tensorbridge;

import java.util.Objects;

/**
 * Where a tensor's memory lives: its kind, the device's name, and for accelerators the platform
 * and driver that run it.
 *
 * <p>Host arrays made from a tensor on a device whose memory is not {@link #hostAccessible()} are
 * always copies. Immutable and thread-safe.
 */
public final class Device {
    /** The broad class of a device. */
    public enum Kind {
        /** The host CPU; memory is host memory. */
        CPU,
        /** A graphics processor. */
        GPU,
        /** Any other accelerator, or an OpenCL device that is not a GPU. */
        ACCELERATOR
    }

    private final Kind kind;
    private final String name;
    private final String platform;
    private final String driver;
    private final boolean hostAccessible;

    private Device(Kind kind, String name, String platform, String driver, boolean hostAccessible) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.name = Objects.requireNonNull(name, "name");
        this.platform = Objects.requireNonNull(platform, "platform");
        this.driver = Objects.requireNonNull(driver, "driver");
        this.hostAccessible = hostAccessible;
    }

    /** The host CPU, whose memory host arrays can share. */
    public static Device cpu(String name) {
        return new Device(Kind.CPU, name, "host", "none", true);
    }

    /**
     * A device whose memory the host cannot address directly, such as an OpenCL GPU: host arrays
     * from it are copies.
     */
    public static Device accelerator(Kind kind, String name, String platform, String driver) {
        return new Device(kind, name, platform, driver, false);
    }

    /** The kind of device. */
    public Kind kind() {
        return kind;
    }

    /** The device's own name, for example the CPU model or {@code NVIDIA H100}. */
    public String name() {
        return name;
    }

    /** The platform that runs it, for example an OpenCL platform name; {@code host} for the CPU. */
    public String platform() {
        return platform;
    }

    /** The driver version, or {@code none} for the CPU. */
    public String driver() {
        return driver;
    }

    /** True if host arrays can alias this device's memory. */
    public boolean hostAccessible() {
        return hostAccessible;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && kind == d.kind && name.equals(d.name) && platform.equals(d.platform)
                && driver.equals(d.driver) && hostAccessible == d.hostAccessible;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, platform, driver, hostAccessible);
    }

    /** {@code cpu(name)} or {@code gpu(name, platform, driver)}. */
    @Override
    public String toString() {
        String k = kind.name().toLowerCase(java.util.Locale.ROOT);
        return kind == Kind.CPU ? k + "(" + name + ")" : k + "(" + name + ", " + platform + ", driver " + driver + ")";
    }
}
