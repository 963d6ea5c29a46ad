package org.tensorbridge.backend.tensorflow;

import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;

/**
 * Registers the TensorFlow backend under the name {@value TensorflowBackend#NAME} with priority 50: below the
 * CPU backend (100), so it is used when asked for by name ({@code Backends.get("tensorflow")}, the system
 * property or environment variable) or when the CPU backend is missing.
 *
 * <p>The probe loads TensorFlow's native library (JavaCPP unpacks it from {@code tensorflow-core-native} under
 * {@code org.bytedeco.javacpp.cachedir}); any failure, a {@link LinkageError} included, makes the backend
 * unavailable with the reason. Thread-safe.
 */
public final class TensorflowBackendProvider implements BackendProvider {
    /** Used by {@link java.util.ServiceLoader}. */
    public TensorflowBackendProvider() {
    }

    @Override
    public String name() {
        return TensorflowBackend.NAME;
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public Availability probe() {
        try {
            org.tensorflow.internal.c_api.global.tensorflow.TF_Version();
            return Availability.available();
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("TensorFlow's native library did not load (" + e + "); this build ships "
                    + "tensorflow-core-native for linux-x86_64 with JavaCPP 1.5.11. Check the platform, that no older "
                    + "JavaCPP is on the class path, and that the JavaCPP cache directory is writable");
        }
    }

    @Override
    public Backend create() {
        return TensorflowBackend.create();
    }
}
