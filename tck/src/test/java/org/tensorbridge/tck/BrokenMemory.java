package org.tensorbridge.tck;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.backend.reference.ReferenceBackend;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.spi.HostIndexChecks;
import org.tensorbridge.spi.HostMemory;
import org.tensorbridge.spi.IndexChecks;
import org.tensorbridge.spi.Memory;
import org.tensorbridge.spi.Operand;

/**
 * Backends whose one defect is in memory, checks or discovery: what an engine's glue code gets wrong.
 * Each is caught by the rule named in {@link CatchMatrixTest}.
 */
final class BrokenMemory {
    private BrokenMemory() {
    }

    /** Host memory that forwards everything to {@link HostMemory} except what a defect overrides. */
    private static class Forwarded implements Memory {
        final HostMemory host;

        Forwarded(MemoryLedger ledger) {
            this.host = new HostMemory(ledger, false);
        }

        @Override
        public Storage allocate(DType dtype, Shape shape) {
            return host.allocate(dtype, shape);
        }

        @Override
        public void upload(ByteBuffer source, Storage target) {
            host.upload(source, target);
        }

        @Override
        public void download(Storage source, ByteBuffer target) {
            host.download(source, target);
        }

        @Override
        public void fill(Operand target, ByteBuffer element) {
            host.fill(target, element);
        }

        @Override
        public long maxTensorBytes() {
            return host.maxTensorBytes();
        }

        @Override
        public OptionalLong heldBytes() {
            return host.heldBytes();
        }
    }

    /** The engine's counter of bytes held goes up on every allocation and never comes down: nothing is freed. */
    static Backend memoryNeverFreed() {
        return BrokenBackends.broken("memory-never-freed", spec -> spec.memory(ledger -> new Forwarded(ledger) {
            private final AtomicLong engineBytes = new AtomicLong();

            @Override
            public Storage allocate(DType dtype, Shape shape) {
                engineBytes.addAndGet(shape.elementCount() * dtype.byteWidth());
                return super.allocate(dtype, shape);
            }

            @Override
            public OptionalLong heldBytes() {
                return OptionalLong.of(engineBytes.get());
            }
        }));
    }

    /** Declares no size limit and computes a block's size in {@code int}: a huge shape gets a tiny buffer. */
    static Backend tinyBufferBehindAHugeShape() {
        return BrokenBackends.broken("tiny-buffer", spec -> spec.memory(ledger -> new Forwarded(ledger) {
            @Override
            public Storage allocate(DType dtype, Shape shape) {
                int bytes = (int) (shape.elementCount() * dtype.byteWidth());
                return HostStorage.allocate(bytes & Integer.MAX_VALUE, ledger);
            }

            @Override
            public long maxTensorBytes() {
                return Long.MAX_VALUE;
            }
        }));
    }

    /** Sparse indices are never checked against the dense shape. */
    static Backend indicesNotValidated() {
        return BrokenBackends.broken("indices-not-validated", spec -> spec.indexChecks(memory -> new IndexChecks() {
            private final HostIndexChecks host = new HostIndexChecks(memory);

            @Override
            public InvalidIndex firstInvalidIndex(Operand indices, Shape denseShape) {
                return null;
            }

            @Override
            public boolean isCanonical(Operand indices, Shape denseShape) {
                return host.isCanonical(indices, denseShape);
            }

            @Override
            public CsrProblem csrToCoo(Operand indptr, Operand columns, long columnCount, Operand coo) {
                return host.csrToCoo(indptr, columns, columnCount, coo);
            }
        }));
    }

    /** A correct backend whose provider is not registered for ServiceLoader. */
    static BackendProvider unregisteredProvider() {
        return TestBackends.provider("unregistered", ReferenceBackend::new);
    }

    /** A registered provider whose probe loads everything again on every call (it sleeps as long). */
    public static final class SlowProbe implements BackendProvider {
        @Override
        public String name() {
            return "slow-probe";
        }

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public Availability probe() {
            try {
                Thread.sleep(600);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Availability.available();
        }

        @Override
        public Backend create() {
            return new ReferenceBackend();
        }
    }
}
