package org.tensorbridge.backend.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.OperationUnsupportedException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;
import org.tensorbridge.TensorScope;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.KernelRegistry;

/**
 * A backend without a kernel refuses the operation with TB-OP-UNSUPPORTED, unless it opted into the host
 * fallback; then the operation runs on the host and every byte it moves is counted, never hidden.
 */
class HostFallbackTest {
    /** Kernels for add only; the rest would need the fallback. */
    private static KernelRegistry addOnly() {
        return KernelRegistry.builder().overwrite(Operations.ADD, EnumSet.allOf(DType.class),
                ReferenceKernels::elementwise).build();
    }

    @Test
    void withoutTheFallbackAMissingKernelIsRefusedNamingTheOperation() {
        AbstractBackend backend = new ReferenceBackend(ReferenceBackend.spec("add-only").kernels(addOnly()).build()) {
        };
        assertTrue(backend.capabilities().supports(Operations.ADD));
        assertFalse(backend.capabilities().supports(Operations.EXP));
        try (Tensor a = backend.constant(new float[] {1, 2})) {
            OperationUnsupportedException e = assertThrows(OperationUnsupportedException.class, () -> a.exp().close());
            assertEquals("TB-OP-UNSUPPORTED", e.code());
            assertTrue(e.getMessage().contains("exp") && e.getMessage().contains("add-only"), e.getMessage());
            try (Tensor sum = a.add(a)) {
                assertEquals(0, backend.statistics().fallbacks(Operations.ADD));
            }
        }
    }

    @Test
    void withTheFallbackOperationsRunOnTheHostAndTheirCopiesAreCounted() {
        AbstractBackend backend = new ReferenceBackend(ReferenceBackend.spec("fallback").kernels(addOnly())
                .hostFallback(ReferenceBackend.kernels()).build()) {
        };
        assertTrue(backend.capabilities().supports(Operations.EXP), "the fallback's operations are declared");
        try (TensorScope scope = TensorScope.open()) {
            Tensor a = backend.constant(new float[] {0, 1, 2, 3}, 2, 2);
            try (HostArray e = a.exp().toHost()) {
                assertEquals((float) Math.exp(3), e.getFloat(1, 1));
            }
            assertEquals(1, backend.statistics().fallbacks(Operations.EXP));
            assertEquals(16 + 16, backend.statistics().bytesCopied(Operations.EXP),
                    "the input downloaded and the result uploaded: 16 bytes each way");
            Tensor summed = a.sum(new int[] {0}, false);
            assertEquals(16 + 8, backend.statistics().bytesCopied(Operations.SUM));
            try (HostArray s = summed.toHost()) {
                assertEquals("[2.0, 4.0]", s.formatValues());
            }
            SparseTensor sparse = backend.sparseCoo(new long[][] {{1, 1}, {0, 0}}, new float[] {5, 6}, 2, 2);
            SparseTensor canonical = sparse.coalesce();
            assertTrue(canonical.isCanonical());
            assertEquals(1, backend.statistics().fallbacks(Operations.COALESCE));
            assertEquals(2 * (32 + 8), backend.statistics().bytesCopied(Operations.COALESCE),
                    "indices and values, down and up");
            try (Tensor direct = a.add(a)) {
                assertEquals(0, backend.statistics().bytesCopied(Operations.ADD), "a kernel of its own copies nothing");
            }
        }
        assertEquals(0, backend.ledger().liveBlocks());
    }
}
