package org.tensorbridge.tck;

import org.tensorbridge.BackendProvider;

/** The kit passes a correct backend that has no native code: the baseline for the self-tests. */
class HeapBackendConformanceTest extends BackendTck {
    @Override
    protected BackendProvider provider() {
        return HeapBackend.provider("heap", HeapBackend::new);
    }
}
