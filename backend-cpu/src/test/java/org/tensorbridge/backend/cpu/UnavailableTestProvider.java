package org.tensorbridge.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;

/**
 * A test provider that reports itself unavailable with a reason. Its priority is above the cpu
 * backend's, so discovery must skip it rather than pick it.
 */
public final class UnavailableTestProvider implements BackendProvider {
    static final String NAME = "fakeabsent";
    static final String REASON = "fake reason: install libfake";
    static final AtomicInteger PROBES = new AtomicInteger();

    /** Used by {@link java.util.ServiceLoader}. */
    public UnavailableTestProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return CpuBackendProvider.PRIORITY + 100;
    }

    @Override
    public Availability probe() {
        PROBES.incrementAndGet();
        return Availability.unavailable(REASON);
    }

    @Override
    public Backend create() {
        throw new AssertionError("create() called on a provider that reported itself unavailable");
    }
}
