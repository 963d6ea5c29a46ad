package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.tensorbridge.Availability;

/**
 * Availability of OpenCL for the device-dependent tests: each such test calls {@link #assumeAvailable()}
 * first, so that without OpenCL it is reported skipped with the probe's reason (the packages to
 * install), and {@code ./mvnw verify} still passes on a machine without OpenCL.
 */
final class OpenCl {
    private static final Availability AVAILABILITY = new GpuBackendProvider().probe();

    private OpenCl() {
    }

    static Availability availability() {
        return AVAILABILITY;
    }

    /** Skips the calling test (JUnit assumption) with the probe's reason if OpenCL is unavailable. */
    static void assumeAvailable() {
        assumeTrue(AVAILABILITY.isAvailable(), () -> "backend gpu is unavailable here: " + AVAILABILITY.reason());
    }

    /** A new backend on the selected device, or null where OpenCL is unavailable. */
    static GpuBackend backendOrNull() {
        return AVAILABILITY.isAvailable() ? (GpuBackend) new GpuBackendProvider().create() : null;
    }

    /** A new backend on the selected device; skips the calling test if OpenCL is unavailable. */
    static GpuBackend backendOrSkip() {
        assumeAvailable();
        return (GpuBackend) new GpuBackendProvider().create();
    }

    /**
     * A provider of the backend as it is on a device without double precision: the selected device with
     * {@code cl_khr_fp64} masked, so float64 is not declared and the programs are built without it.
     */
    static GpuBackendProvider withoutFloat64() {
        return new GpuBackendProvider(() -> () -> new JoclPlatformQuery().devices().stream()
                .map(d -> new DeviceInfo(d.platformIndex(), d.deviceIndex(), d.platform(), d.device(), d.platformName(),
                        d.platformVersion(), d.name(), d.type(), d.driverVersion(), false, d.correctlyRoundedDivide(),
                        d.maxAllocation(), d.maxWorkGroupSize()))
                .toList(), DeviceSelection::fromSystem);
    }

    /** The device the provider selects; skips the calling test if OpenCL is unavailable. */
    static DeviceInfo deviceOrSkip() {
        assumeAvailable();
        return DeviceSelection.fromSystem().choose(new JoclPlatformQuery().devices());
    }
}
