package org.tensorbridge.backend.reference;

import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;

/**
 * Registers the reference backend for {@link java.util.ServiceLoader} under {@value ReferenceBackend#NAME},
 * with the lowest priority of the bundled backends, so it is used only when asked for by name or when
 * nothing else is there. Always available.
 */
public final class ReferenceBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return ReferenceBackend.NAME;
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public Availability probe() {
        return Availability.available();
    }

    @Override
    public Backend create() {
        return new ReferenceBackend();
    }
}
