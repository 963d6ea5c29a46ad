package org.tensorbridge.tck;

import java.util.function.Supplier;
import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;

/** Providers for the backends of the kit's self-tests. */
final class TestBackends {
    private TestBackends() {
    }

    /** An available provider called {@code name} for a backend made by {@code factory}. */
    static BackendProvider provider(String name, Supplier<Backend> factory) {
        return new BackendProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public Availability probe() {
                return Availability.available();
            }

            @Override
            public Backend create() {
                return factory.get();
            }
        };
    }
}
