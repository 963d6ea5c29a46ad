package org.tensorbridge.backend.cpu;

import java.util.EnumSet;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.BackendSpec;
import org.tensorbridge.spi.HostMemory;
import org.tensorbridge.spi.HostSharing;
import org.tensorbridge.spi.HostWrapping;

/**
 * The CPU backend: tensors live in host memory that ND4J's native kernels read and write in place.
 *
 * <p>Sharing: host views alias tensor memory ({@code NEVER} and {@code IF_NEEDED} share, read-only
 * unless {@code WRITABLE} is asked for); a caller's direct, native-order buffer is wrapped without a
 * copy. Copies are single bulk copies. All ten dtypes are supported; arithmetic needs a numeric one.
 * Kernels ({@link CpuKernels}): ND4J where its values are the contract's, plain Java where ND4J's are
 * not (integer division, NaN-propagating maximum and minimum, integer powers) and for small elementwise
 * results of up to 16 384 elements (system property {@code tensorbridge.cpu.javaKernelMaxElements}),
 * where ND4J's fixed cost per op would dominate.
 *
 * <p>Thread-safe: kernels share no mutable state.
 */
public final class CpuBackend extends AbstractBackend {
    /** The name this backend registers under. */
    public static final String NAME = "cpu";

    /** Elementwise results up to this many elements are computed in Java (see {@link JavaElementwise}). */
    static final long DEFAULT_JAVA_KERNEL_MAX_ELEMENTS = 16_384;

    CpuBackend() {
        this(Long.getLong("tensorbridge.cpu.javaKernelMaxElements", DEFAULT_JAVA_KERNEL_MAX_ELEMENTS));
    }

    /** @param javaKernelMaxElements the largest elementwise result computed in Java; 0 sends all to ND4J */
    CpuBackend(long javaKernelMaxElements) {
        super(BackendSpec.builder(NAME, Device.cpu(System.getProperty("os.arch") + ", "
                        + Runtime.getRuntime().availableProcessors() + " cores, ND4J native"))
                .dtypes(EnumSet.allOf(DType.class))
                // Results that their kernel overwrites come from the pool of host blocks: kernels here reach
                // memory only through transient buffers, while the operands are pinned.
                .memory(ledger -> new HostMemory(ledger, true))
                .sharing(HostSharing.ofHostStorage(true))
                .wrapping(HostWrapping.asIs())
                .kernels(CpuKernels.registry(javaKernelMaxElements))
                .build());
    }
}
