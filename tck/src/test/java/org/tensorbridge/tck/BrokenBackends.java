package org.tensorbridge.tck;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;
import org.tensorbridge.backend.reference.ReferenceBackend;
import org.tensorbridge.backend.reference.ReferenceKernels;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.BackendSpec;
import org.tensorbridge.spi.HostSharing;
import org.tensorbridge.spi.HostSparseKernels;
import org.tensorbridge.spi.KernelCall;
import org.tensorbridge.spi.KernelRegistry;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.spi.SparseOperand;
import org.tensorbridge.spi.SparseParts;

/**
 * Deliberately broken backends, one defect each, and the kit run against each. The self-test asserts
 * that the rule meant to catch the defect fails (or, for a SHOULD rule, aborts) with a helpful message.
 * Each is the reference backend with one hook of its spec replaced, or wrapped by {@link Forwarding}.
 * The nested kit classes are not run on their own: their names do not end in "Test".
 */
final class BrokenBackends {
    private BrokenBackends() {
    }

    /** The reference backend called {@code name}, with {@code defect} applied to its spec. */
    static Backend broken(String name, UnaryOperator<BackendSpec.Builder> defect) {
        return new ReferenceBackend(defect.apply(ReferenceBackend.spec(name)).build()) {
        };
    }

    /** Shares are secretly copies: the "host view" of tensor memory is a copy of its bytes. */
    static Backend reportsSharedButCopies() {
        return broken("reports-shared-but-copies", spec -> spec.sharing(new HostSharing() {
            @Override
            public HostStorage share(Storage storage) {
                ByteBuffer copy = ByteBuffer.allocateDirect((int) storage.byteSize());
                copy.put(((HostStorage) storage).transientBuffer()).flip();
                return HostStorage.viewOf(storage, copy, false);
            }

            @Override
            public boolean writable() {
                return true;
            }
        }));
    }

    /** ALWAYS returns a writable share, reported as an independent copy. */
    static Backend copyThatAliases() {
        return Forwarding.backend(new ReferenceBackend(), new Forwarding.Twist() {
            @Override
            public HostArray toHost(Tensor real, CopyPolicy policy, Access access) {
                if (policy != CopyPolicy.ALWAYS) {
                    return real.toHost(policy, access);
                }
                HostArray share = real.toHost(CopyPolicy.NEVER, Access.WRITABLE);
                return Forwarding.hostArray(share, Map.of(
                        "sharing", args -> Sharing.INDEPENDENT,
                        "bytesCopied", args -> share.byteSize(),
                        "isReadOnly", args -> access == Access.READ_ONLY));
            }
        });
    }

    /** Read-only arrays accept writes. */
    static Backend readOnlyNotEnforced() {
        return Forwarding.backend(new ReferenceBackend(), new Forwarding.Twist() {
            @Override
            public HostArray toHost(Tensor real, CopyPolicy policy, Access access) {
                HostArray writable = real.toHost(policy, Access.WRITABLE);
                return Forwarding.hostArray(writable, Map.of("isReadOnly", args -> access == Access.READ_ONLY));
            }
        });
    }

    /** close() does nothing, so use after close goes unnoticed. */
    static Backend useAfterCloseNotDetected() {
        return Forwarding.backend(new ReferenceBackend(), new Forwarding.Twist() {
            @Override
            public void close(Tensor real) {
                // The defect: the tensor stays usable.
            }
        });
    }

    /** Host arrays hold their elements in column-major order while claiming row-major. */
    static Backend wrongElementOrder() {
        return Forwarding.backend(new ReferenceBackend(), new Forwarding.Twist() {
            @Override
            public HostArray toHost(Tensor real, CopyPolicy policy, Access access) {
                HostArray copy = real.toHost(CopyPolicy.ALWAYS, Access.WRITABLE);
                double[] rowMajor = copy.convertToDoubleArray();
                ByteBuffer bytes = copy.asByteBuffer();
                org.tensorbridge.Shape shape = copy.shape();
                for (int i = 0; i < rowMajor.length; i++) {
                    long[] index = Elements.index(shape, i);
                    long columnMajor = 0;
                    long stride = 1;
                    for (int axis = 0; axis < index.length; axis++) {
                        columnMajor += index[axis] * stride;
                        stride *= shape.dim(axis);
                    }
                    Elements.put(bytes, copy.dtype(), (int) columnMajor, rowMajor[i]);
                }
                return Forwarding.hostArray(copy, Map.of("isReadOnly", args -> access == Access.READ_ONLY));
            }
        });
    }

    /** Supplies a sharing hook, and so declares sharing, but never shares. */
    static Backend lyingCapability() {
        return broken("lying-capability", spec -> spec.sharing(new HostSharing() {
            @Override
            public HostStorage share(Storage storage) {
                return null;
            }

            @Override
            public boolean writable() {
                return true;
            }
        }));
    }

    /** Host arrays report column-major strides: breaks a SHOULD rule only. */
    static Backend reportsColumnMajorStrides() {
        return Forwarding.backend(new ReferenceBackend(), new Forwarding.Twist() {
            @Override
            public HostArray toHost(Tensor real, CopyPolicy policy, Access access) {
                HostArray host = real.toHost(policy, access);
                return Forwarding.hostArray(host, Map.of("strides", args -> {
                    long[] strides = host.strides();
                    for (int i = 0; i < strides.length / 2; i++) {
                        long t = strides[i];
                        strides[i] = strides[strides.length - 1 - i];
                        strides[strides.length - 1 - i] = t;
                    }
                    return strides;
                }));
            }
        });
    }

    /** coalesce() sorts but keeps duplicates (a transpose applied twice). */
    static Backend coalesceKeepsDuplicates() {
        return withCoalesce("coalesce-keeps-duplicates", call -> {
            SparseOperand a = call.sparseInput(0);
            HostSparseKernels.Allocator allocator = (dtype, shape) -> (HostStorage) call.allocate(dtype, shape);
            SparseParts once = HostSparseKernels.transpose(a, allocator);
            Shape swapped = Shape.of(a.denseShape().dim(1), a.denseShape().dim(0));
            SparseOperand middle = new SparseOperand(
                    new Operand(once.indices(), DType.INT64, Shape.of(once.nnz(), 2)),
                    new Operand(once.values(), a.dtype(), Shape.of(once.nnz())), swapped, once.canonical());
            try {
                return HostSparseKernels.transpose(middle, allocator);
            } finally {
                once.indices().release();
                once.values().release();
            }
        });
    }

    /** coalesce() goes through the dense form: right answers, but it allocates the dense size. */
    static Backend densifyingCoalesce() {
        return withCoalesce("densifying-coalesce", call -> {
            SparseOperand a = call.sparseInput(0);
            Storage dense = call.allocate(a.dtype(), a.denseShape());
            try {
                Operand operand = new Operand(dense, a.dtype(), a.denseShape());
                HostSparseKernels.toDense(a, operand);
                return HostSparseKernels.fromDense(operand, (dtype, shape) -> (HostStorage) call.allocate(dtype, shape));
            } finally {
                dense.release();
            }
        });
    }

    private static Backend withCoalesce(String name, java.util.function.Function<KernelCall, SparseParts> coalesce) {
        KernelRegistry kernels = KernelRegistry.builder().include(ReferenceBackend.kernels())
                .sparse(Operations.COALESCE, EnumSet.allOf(DType.class), coalesce::apply).build();
        return broken(name, spec -> spec.kernels(kernels));
    }

    abstract static class Kit extends BackendTck {
        abstract Backend broken();

        @Override
        protected BackendProvider provider() {
            return TestBackends.provider("broken", this::broken);
        }
    }

    static class ReportsColumnMajorStridesKit extends Kit {
        @Override
        Backend broken() {
            return reportsColumnMajorStrides();
        }

        @Override
        protected BackendProvider provider() {
            return new TestProviders.ColumnMajorStrides();
        }
    }

    /** The first edition's operations only, as a backend written before the operation set grew. */
    static class FrozenOperationSetKit extends Kit {
        @Override
        Backend broken() {
            return FrozenBackend.create();
        }

        @Override
        protected BackendProvider provider() {
            return new TestProviders.Frozen();
        }
    }
}
