package org.tensorbridge.backend.tensorflow;

import org.tensorbridge.BackendProvider;
import org.tensorbridge.tck.BackendTck;

/** Runs the conformance kit against the TensorFlow backend. */
class TensorflowConformanceTest extends BackendTck {
    @Override
    protected BackendProvider provider() {
        return new TensorflowBackendProvider();
    }
}
