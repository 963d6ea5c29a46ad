package org.tensorbridge.tck;

import org.tensorbridge.BackendProvider;
import org.tensorbridge.backend.reference.ReferenceBackend;
import org.tensorbridge.backend.reference.ReferenceBackendProvider;

/** The kit passes the plain-Java reference backend: the baseline for the self-tests. */
class ReferenceBackendConformanceTest extends BackendTck {
    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }

    /** A reference backend under {@code name}, for the providers and broken variants of these tests. */
    static ReferenceBackend named(String name) {
        return new ReferenceBackend(ReferenceBackend.spec(name).build()) {
        };
    }
}
