package org.tensorbridge.tck;

import java.util.EnumSet;
import org.tensorbridge.Backend;
import org.tensorbridge.DType;
import org.tensorbridge.backend.reference.ReferenceBackend;
import org.tensorbridge.backend.reference.ReferenceKernels;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.HostSparseKernels;
import org.tensorbridge.spi.KernelRegistry;

/**
 * A backend as it would have been written against the first edition's operation set: kernels for add,
 * subtract, multiply, divide, matmul and cast, and the sparse operations; nothing for the operations
 * added since. It names only operations that existed then, so adding operations to tensorbridge cannot
 * break its compilation, and the kit shows it still conforms.
 */
final class FrozenBackend {
    private FrozenBackend() {
    }

    static Backend create() {
        EnumSet<DType> all = EnumSet.allOf(DType.class);
        KernelRegistry.Builder kernels = KernelRegistry.builder().include(HostSparseKernels.registry());
        kernels.overwrite(Operations.ADD, all, ReferenceKernels::elementwise)
                .overwrite(Operations.SUBTRACT, all, ReferenceKernels::elementwise)
                .overwrite(Operations.MULTIPLY, all, ReferenceKernels::elementwise)
                .overwrite(Operations.DIVIDE, all, ReferenceKernels::elementwise)
                .write(Operations.MATMUL, all, ReferenceKernels::matmul)
                .overwrite(Operations.CAST, all, ReferenceKernels::cast);
        return BrokenBackends.broken("frozen", spec -> spec.kernels(kernels.build()).fusion(null));
    }
}
