package org.example.tiny;

import org.tensorbridge.BackendProvider;
import org.tensorbridge.tck.BackendTck;

/** The backend author's whole test: every rule of the conformance kit, run against the tiny backend. */
class TinyBackendConformanceTest extends BackendTck {
    @Override
    protected BackendProvider provider() {
        return new TinyBackend.Provider();
    }
}
