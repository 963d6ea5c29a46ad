package org.tensorbridge.backend.gpu;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which OpenCL device the backend runs on: the value of the system property
 * {@value GpuBackendProvider#DEVICE_PROPERTY}, else of the environment variable
 * {@value GpuBackendProvider#DEVICE_ENVIRONMENT}, else {@code auto}. Values (case-insensitive):
 * <ul>
 *   <li>{@code auto}: the first GPU-type device of any platform, else the first device;</li>
 *   <li>{@code gpu}, {@code cpu}, {@code accelerator}: the first device of that OpenCL type;</li>
 *   <li>{@code any}: the first device, whatever its type;</li>
 *   <li>{@code P:D}, for example {@code 1:0}: device D of platform P, in OpenCL's enumeration order;</li>
 *   <li>anything else: the first device whose name or platform name contains the text.</li>
 * </ul>
 * A request that no device meets is not silently replaced by another device: the backend is then
 * unavailable, and the reason lists the devices found. Immutable and thread-safe.
 */
final class DeviceSelection {
    private static final Pattern INDICES = Pattern.compile("(\\d+):(\\d+)");

    private final String request;
    private final String source;

    private DeviceSelection(String request, String source) {
        this.request = request;
        this.source = source;
    }

    /** The selection from a property lookup and an environment lookup (either may return null). */
    static DeviceSelection from(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String value = properties.apply(GpuBackendProvider.DEVICE_PROPERTY);
        if (value != null && !value.isBlank()) {
            return new DeviceSelection(normalise(value), "system property " + GpuBackendProvider.DEVICE_PROPERTY);
        }
        value = environment.apply(GpuBackendProvider.DEVICE_ENVIRONMENT);
        if (value != null && !value.isBlank()) {
            return new DeviceSelection(normalise(value), "environment variable " + GpuBackendProvider.DEVICE_ENVIRONMENT);
        }
        return new DeviceSelection("auto", "the default");
    }

    /** The selection of the running JVM. */
    static DeviceSelection fromSystem() {
        return from(System::getProperty, System::getenv);
    }

    private static String normalise(String value) {
        return value.trim().toLowerCase(Locale.ROOT);
    }

    /** The requested value, lower-case. */
    String request() {
        return request;
    }

    /**
     * The chosen device.
     *
     * @throws IllegalStateException if no device meets the request; the message lists the devices
     */
    DeviceInfo choose(List<DeviceInfo> devices) {
        DeviceInfo chosen = switch (request) {
            case "auto" -> first(devices, DeviceInfo::isGpu, first(devices, d -> true, null));
            case "any" -> first(devices, d -> true, null);
            case "gpu", "cpu", "accelerator" -> first(devices, d -> d.typeName().equals(request), null);
            default -> {
                Matcher indices = INDICES.matcher(request);
                if (indices.matches()) {
                    int p = Integer.parseInt(indices.group(1));
                    int d = Integer.parseInt(indices.group(2));
                    yield first(devices, info -> info.platformIndex() == p && info.deviceIndex() == d, null);
                }
                yield first(devices, info -> info.searchText().contains(request), null);
            }
        };
        if (chosen == null) {
            throw new IllegalStateException(source + " asks for OpenCL device '" + request + "' but none matches; "
                    + "devices found: " + list(devices) + ". Set " + GpuBackendProvider.DEVICE_PROPERTY + " (or "
                    + GpuBackendProvider.DEVICE_ENVIRONMENT + ") to auto, gpu, cpu, accelerator, any, "
                    + "platform:device indices such as 0:0, or part of a device name");
        }
        return chosen;
    }

    private static DeviceInfo first(List<DeviceInfo> devices, Predicate<DeviceInfo> test, DeviceInfo otherwise) {
        return devices.stream().filter(test).findFirst().orElse(otherwise);
    }

    static String list(List<DeviceInfo> devices) {
        return devices.isEmpty() ? "none" : devices.stream().map(DeviceInfo::describe).collect(Collectors.joining("; "));
    }

    @Override
    public String toString() {
        return request + " (from " + source + ")";
    }
}
