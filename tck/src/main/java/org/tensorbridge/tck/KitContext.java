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

    /** The provider that made it, as the backend author's test class supplies it. */
    org.tensorbridge.BackendProvider providerUnderTest();

    /** Data builders and readers, with the run's seed. */
    Fixtures fixtures();

    /**
     * A declared dtype other than float32, for rules that need some cast: float64 when declared, else
     * another; float32 itself only for a backend that declares nothing else.
     */
    default org.tensorbridge.DType castTarget() {
        if (declared().supports(org.tensorbridge.DType.FLOAT64)) {
            return org.tensorbridge.DType.FLOAT64;
        }
        return declared().supportedDTypes().stream().filter(d -> d != org.tensorbridge.DType.FLOAT32).findFirst()
                .orElse(org.tensorbridge.DType.FLOAT32);
    }

    /**
     * True if the backend declares a kernel for {@code operation} on {@code dtype}: rules use an operation
     * only where it is declared, since every operation is optional.
     */
    default boolean declares(org.tensorbridge.op.Operation operation, org.tensorbridge.DType dtype) {
        return declared().supports(operation, dtype);
    }

    /** The backend's declared capabilities. */
    default BackendCapabilities declared() {
        return backend().capabilities();
    }
}
