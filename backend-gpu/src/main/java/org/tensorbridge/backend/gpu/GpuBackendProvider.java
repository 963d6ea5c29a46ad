package org.tensorbridge.backend.gpu;

import java.util.List;
import java.util.function.Supplier;
import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;

/**
 * Registers the OpenCL backend under the name {@value #NAME}, with priority {@value #PRIORITY}: below
 * the CPU backend (100), so it is used when asked for by name ({@code Backends.get("gpu")},
 * {@code -Dtensorbridge.backend=gpu}, {@code TENSORBRIDGE_BACKEND=gpu}).
 *
 * <p>Device choice: the system property {@value #DEVICE_PROPERTY}, else the environment variable
 * {@value #DEVICE_ENVIRONMENT}: {@code auto} (default: the first GPU-type OpenCL device, else the
 * first device, such as PoCL on the CPU), {@code gpu}, {@code cpu}, {@code accelerator}, {@code any},
 * {@code P:D} platform and device indices, or part of the device or platform name.
 *
 * <p>The probe lists OpenCL platforms and devices; any failure, {@link LinkageError} and
 * {@link UnsatisfiedLinkError} from loading JOCL or {@code libOpenCL.so} included, makes the backend
 * unavailable with the reason and the Debian packages that install OpenCL ({@value #PACKAGES}); it
 * never throws, so discovery of other backends goes on. Thread-safe; cheap to construct (nothing
 * native is loaded before {@link #probe()}).
 */
public final class GpuBackendProvider implements BackendProvider {
    /** The backend's name. */
    public static final String NAME = GpuBackend.NAME;
    /** Below the CPU backend's 100: the GPU backend is chosen by name, not by default. */
    public static final int PRIORITY = 50;
    /** System property that selects the OpenCL device. */
    public static final String DEVICE_PROPERTY = "tensorbridge.gpu.device";
    /** Environment variable that selects the OpenCL device when the property is not set. */
    public static final String DEVICE_ENVIRONMENT = "TENSORBRIDGE_GPU_DEVICE";
    /** Debian/Ubuntu packages that provide libOpenCL.so, its unversioned link and a CPU driver (PoCL). */
    public static final String PACKAGES = "ocl-icd-libopencl1 ocl-icd-opencl-dev pocl-opencl-icd";

    private static final String INSTALL = "Install OpenCL: on Debian or Ubuntu, apt-get install " + PACKAGES
            + " (PoCL runs OpenCL on the CPU), or your GPU vendor's OpenCL driver";

    private final Supplier<PlatformQuery> query;
    private final Supplier<DeviceSelection> selection;
    private final boolean stagePinned;

    /** Used by {@link java.util.ServiceLoader}: the real OpenCL installation and the JVM's settings. */
    public GpuBackendProvider() {
        this(JoclPlatformQuery::new, DeviceSelection::fromSystem);
    }

    /** For tests: another platform query or device selection. */
    GpuBackendProvider(Supplier<PlatformQuery> query, Supplier<DeviceSelection> selection) {
        this(query, selection, false);
    }

    /** For tests: {@code stagePinned} stages every host copy through pinned memory, whatever the device. */
    GpuBackendProvider(Supplier<PlatformQuery> query, Supplier<DeviceSelection> selection, boolean stagePinned) {
        this.query = query;
        this.selection = selection;
        this.stagePinned = stagePinned;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability probe() {
        try {
            List<DeviceInfo> devices = query.get().devices();
            if (devices.isEmpty()) {
                return Availability.unavailable("no OpenCL platform with a device is installed (the OpenCL ICD loader "
                        + "found no driver in /etc/OpenCL/vendors). " + INSTALL);
            }
            selection.get().choose(devices);
            return Availability.available();
        } catch (OpenClException e) {
            return Availability.unavailable("listing OpenCL platforms failed: " + e.getMessage() + ". " + INSTALL);
        } catch (IllegalStateException e) {
            return Availability.unavailable(e.getMessage());
        } catch (LinkageError e) {
            return Availability.unavailable("OpenCL could not be loaded (" + e + "); JOCL needs libOpenCL.so, the "
                    + "unversioned OpenCL ICD loader, and a driver. " + INSTALL);
        } catch (Throwable e) {
            // Whatever a driver or JOCL throws, discovery of the other backends goes on.
            return Availability.unavailable("probing OpenCL failed (" + e + "). " + INSTALL);
        }
    }

    /**
     * A new backend, with its own OpenCL context, on the selected device.
     *
     * @throws IllegalStateException if no device meets the selection, or OpenCL fails
     */
    @Override
    public Backend create() {
        List<DeviceInfo> devices = query.get().devices();
        if (devices.isEmpty()) {
            throw new IllegalStateException("no OpenCL platform with a device is installed. " + INSTALL);
        }
        GpuBackend backend = GpuBackend.open(selection.get().choose(devices));
        if (stagePinned) {
            backend.pinnedPool().setEnabled(true);
        }
        return backend;
    }
}
