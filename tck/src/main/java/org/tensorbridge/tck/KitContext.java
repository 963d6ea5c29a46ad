package org.tensorbridge.tck;

import org.tensorbridge.Backend;
import org.tensorbridge.BackendCapabilities;

/**
 * What every rule group of the kit needs: the backend under test and the fixtures. Implemented by
 * {@link BackendTck}; rule groups are interfaces whose default methods are the tests.
 */
public interface KitContext {
    /** The backend under test. */
    Backend backend();

    /** Data builders and readers, with the run's seed. */
    Fixtures fixtures();

    /** The backend's declared capabilities. */
    default BackendCapabilities declared() {
        return backend().capabilities();
    }
}
