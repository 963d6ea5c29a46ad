package org.tensorbridge.backend.reference;

import java.util.EnumSet;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.BackendSpec;
import org.tensorbridge.spi.HostMemory;
import org.tensorbridge.spi.HostSharing;
import org.tensorbridge.spi.HostSparseKernels;
import org.tensorbridge.spi.HostWrapping;
import org.tensorbridge.spi.KernelRegistry;

/**
 * The reference backend: plain Java, no native code, exact kernels for every operation
 * ({@link ReferenceKernels}, the spi's {@link HostSparseKernels}) and fusion that gives the unfused
 * values. Tensors live in host memory: host views share it (read-only unless asked writable), a
 * caller's direct native-order buffer is wrapped without a copy, copies are bulk copies. All ten dtypes.
 * It is the baseline the conformance kit must pass, the base its deliberately broken backends bend, and
 * the backend the spi's own tests run on. Slow by design.
 *
 * <p>Thread-safe: kernels share no mutable state.
 */
public class ReferenceBackend extends AbstractBackend {
    /** The name this backend registers under. */
    public static final String NAME = "reference";

    /** A reference backend registered as {@value #NAME}. */
    public ReferenceBackend() {
        this(spec(NAME).build());
    }

    /** A backend of {@code spec}, for variants (the kit's broken backends, frozen operation sets). */
    protected ReferenceBackend(BackendSpec spec) {
        super(spec);
    }

    /**
     * The reference backend's spec under another name, for variants to change before building: every
     * hook is the reference's.
     */
    public static BackendSpec.Builder spec(String name) {
        BackendSpec.Builder spec = BackendSpec.builder(name, Device.cpu("plain Java reference"));
        return spec.dtypes(EnumSet.allOf(DType.class))
                .memory(ledger -> new HostMemory(ledger, false))
                .sharing(HostSharing.ofHostStorage(true))
                .wrapping(HostWrapping.asIs())
                .kernels(kernels())
                .fusion(new ReferenceFusion());
    }

    /** Every kernel of the reference backend: {@link ReferenceKernels} and {@link HostSparseKernels}. */
    public static KernelRegistry kernels() {
        return KernelRegistry.builder().include(ReferenceKernels.registry()).include(HostSparseKernels.registry())
                .build();
    }
}
