package org.example.broken;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.backend.reference.ReferenceBackend;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.BackendSpec;
import org.tensorbridge.spi.HostIndexChecks;
import org.tensorbridge.spi.HostMemory;
import org.tensorbridge.spi.HostSharing;
import org.tensorbridge.spi.IndexChecks;
import org.tensorbridge.spi.KernelCall;
import org.tensorbridge.spi.KernelRegistry;
import org.tensorbridge.spi.Memory;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.tck.BackendTck;

/**
 * Backends written outside tensorbridge's packages (as a third party's are) whose one hook throws, each
 * the reference backend with that hook replaced: the kit's diagnostics must name the hook and this code.
 * The kit classes are not run on their own: their names do not end in "Test".
 */
public final class HookFaults {
    private HookFaults() {
    }

    /** The share hook throws: every conversion that shares crashes. */
    public static Backend sharingThrows() {
        return backend("sharing-throws", spec -> spec.sharing(new HostSharing() {
            @Override
            public HostStorage share(Storage storage) {
                throw new IllegalStateException("the scratch view was never allocated");
            }

            @Override
            public boolean writable() {
                return true;
            }
        }));
    }

    /** Downloads throw: every copy to the host crashes. */
    public static Backend downloadThrows() {
        return backend("download-throws", spec -> spec.memory(ledger -> new DownloadThrows(new HostMemory(ledger, false))));
    }

    /** The float32 multiply kernel throws; everything else works. */
    public static Backend multiplyThrows() {
        return backend("multiply-throws", spec -> spec.kernels(KernelRegistry.builder().include(ReferenceBackend.kernels())
                .overwrite(Operations.MULTIPLY, Set.of(DType.FLOAT32), HookFaults::brokenMultiply).build()));
    }

    /** The canonical-order check of new sparse tensors throws. */
    public static Backend canonicalCheckThrows() {
        return backend("canonical-check-throws", spec -> spec.indexChecks(memory -> new CanonicalCheckThrows(memory)));
    }

    private static void brokenMultiply(KernelCall call, Operand result) {
        int[] scratch = new int[0];
        scratch[(int) result.shape().elementCount()] = 1;
    }

    private static Backend backend(String name, UnaryOperator<BackendSpec.Builder> defect) {
        return new ReferenceBackend(defect.apply(ReferenceBackend.spec(name)).build()) {
        };
    }

    private static BackendProvider provider(String name, Supplier<Backend> factory) {
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

    /** Host memory whose download throws. */
    private static final class DownloadThrows implements Memory {
        private final Memory memory;

        DownloadThrows(Memory memory) {
            this.memory = memory;
        }

        @Override
        public Storage allocate(DType dtype, Shape shape) {
            return memory.allocate(dtype, shape);
        }

        @Override
        public void upload(ByteBuffer source, Storage target) {
            memory.upload(source, target);
        }

        @Override
        public void download(Storage source, ByteBuffer target) {
            throw new UnsupportedOperationException("download is not implemented yet");
        }
    }

    /** The host index checks, except that the canonical-order check throws. */
    private static final class CanonicalCheckThrows implements IndexChecks {
        private final IndexChecks checks;

        CanonicalCheckThrows(Memory memory) {
            this.checks = new HostIndexChecks(memory);
        }

        @Override
        public InvalidIndex firstInvalidIndex(Operand indices, Shape denseShape) {
            return checks.firstInvalidIndex(indices, denseShape);
        }

        @Override
        public boolean isCanonical(Operand indices, Shape denseShape) {
            throw new NullPointerException("the order cache is null");
        }

        @Override
        public CsrProblem csrToCoo(Operand indptr, Operand columns, long columnCount, Operand coo) {
            return checks.csrToCoo(indptr, columns, columnCount, coo);
        }
    }

    /** The kit against {@link #sharingThrows()}. */
    public static final class SharingThrowsKit extends BackendTck {
        @Override
        protected BackendProvider provider() {
            return HookFaults.provider("sharing-throws", HookFaults::sharingThrows);
        }
    }

    /** The kit against {@link #downloadThrows()}. */
    public static final class DownloadThrowsKit extends BackendTck {
        @Override
        protected BackendProvider provider() {
            return HookFaults.provider("download-throws", HookFaults::downloadThrows);
        }
    }

    /** The kit against {@link #multiplyThrows()}. */
    public static final class MultiplyThrowsKit extends BackendTck {
        @Override
        protected BackendProvider provider() {
            return HookFaults.provider("multiply-throws", HookFaults::multiplyThrows);
        }
    }

    /** The kit against {@link #canonicalCheckThrows()}. */
    public static final class CanonicalCheckThrowsKit extends BackendTck {
        @Override
        protected BackendProvider provider() {
            return HookFaults.provider("canonical-check-throws", HookFaults::canonicalCheckThrows);
        }
    }
}
