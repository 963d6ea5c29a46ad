package org.tensorbridge.backend.cpu;

import org.nd4j.linalg.factory.Nd4j;
import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;

/**
 * Registers the ND4J CPU backend under the name {@code cpu} with priority 100, the default.
 *
 * <p>The probe loads ND4J's native libraries (JavaCPP unpacks about 400 MB on first use, under
 * {@code org.bytedeco.javacpp.cachedir}); any failure, a {@link LinkageError} included, makes the
 * backend unavailable with the reason. Thread-safe.
 */
public final class CpuBackendProvider implements BackendProvider {
    /** Default priority: the CPU backend is chosen unless another is named. */
    public static final int PRIORITY = 100;

    /** Used by {@link java.util.ServiceLoader}. */
    public CpuBackendProvider() {
    }

    @Override
    public String name() {
        return CpuBackend.NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability probe() {
        try {
            Nd4j.getBackend();
            return Availability.available();
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("ND4J's native library did not load (" + e
                    + "); this build ships nd4j-native for linux-x86_64 only. Check the platform and that "
                    + "the JavaCPP cache directory is writable");
        }
    }

    @Override
    public Backend create() {
        return new CpuBackend();
    }
}
