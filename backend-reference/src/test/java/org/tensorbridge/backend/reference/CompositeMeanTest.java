package org.tensorbridge.backend.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.TensorScope;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.KernelRegistry;

/**
 * A backend with sum and divide kernels but no mean kernel gets mean from the spi, and a half-precision
 * mean is computed in float32: neither the sum's overflow nor a count the dtype cannot hold changes it.
 */
class CompositeMeanTest {
    private static AbstractBackend withoutMeanKernel() {
        EnumSet<DType> all = EnumSet.allOf(DType.class);
        KernelRegistry kernels = KernelRegistry.builder()
                .overwrite(Operations.SUM, all, ReferenceKernels::reduce)
                .overwrite(Operations.DIVIDE, all, ReferenceKernels::elementwise)
                .overwrite(Operations.CAST, all, ReferenceKernels::cast)
                .build();
        return new ReferenceBackend(ReferenceBackend.spec("no-mean-kernel").kernels(kernels).build()) {
        };
    }

    @Test
    void halfPrecisionMeansAreComputedInFloat32() {
        AbstractBackend backend = withoutMeanKernel();
        assertTrue(backend.capabilities().supports(Operations.MEAN, DType.FLOAT16), "mean comes from sum and divide");
        assertFalse(backend.capabilities().supports(Operations.MEAN, DType.INT32), "and only where it is defined");
        try (TensorScope scope = TensorScope.open()) {
            Tensor big = backend.fill(DType.FLOAT16, Shape.of(2), 60000);
            try (HostArray mean = big.mean().toHost()) {
                assertEquals(60000f, mean.getFloat(), "the float16 sum, 120000, would overflow to infinity");
            }
            Tensor ones = backend.fill(DType.BFLOAT16, Shape.of(257), 1);
            try (HostArray mean = ones.mean().toHost()) {
                assertEquals(1f, mean.getFloat(), "bfloat16 holds 256 but not 257: the count is a float32");
            }
            Tensor floats = backend.constant(new float[] {1, 2, 3, 4}, 2, 2);
            try (HostArray mean = floats.mean(new int[] {1}, true).toHost()) {
                assertEquals("[[1.5], [3.5]]", mean.formatValues());
            }
        }
        assertEquals(0, backend.ledger().liveBlocks());
    }
}
