package org.tensorbridge.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;

/**
 * A test provider whose probe fails the way a missing native library does. Its priority is above
 * the cpu backend's, so discovery must skip it rather than pick it.
 */
public final class ThrowingProbeTestProvider implements BackendProvider {
    static final String NAME = "fakethrows";
    static final String ERROR = "no libfake in java.library.path";
    static final AtomicInteger PROBES = new AtomicInteger();

    /** Used by {@link java.util.ServiceLoader}. */
    public ThrowingProbeTestProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return CpuBackendProvider.PRIORITY + 200;
    }

    @Override
    public Availability probe() {
        PROBES.incrementAndGet();
        throw new UnsatisfiedLinkError(ERROR);
    }

    @Override
    public Backend create() {
        throw new AssertionError("create() called on a provider whose probe failed");
    }
}
