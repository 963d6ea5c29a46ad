package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;

/**
 * Every {@code cl_mem}, kernel, program and queue is released: the backend's own count of live OpenCL
 * buffers and the spi's memory ledger return to where they started. Skipped without OpenCL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpuResourceTest {
    private GpuBackend backend;

    @BeforeAll
    void open() {
        backend = OpenCl.backendOrNull();
    }

    @BeforeEach
    void requireOpenCl() {
        OpenCl.assumeAvailable();
    }

    @AfterAll
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void hundredThousandTensorsLeaveTheDeviceAllocationCountWhereItStarted() {
        try (Tensor warm = backend.ones(DType.FLOAT32, Shape.of(2)); Tensor sum = warm.add(warm);
                HostArray host = sum.toHost()) {
            assertEquals(2.0f, host.getFloat(0));
        }
        long liveBefore = backend.liveDeviceBuffers();
        long createdBefore = backend.createdDeviceBuffers();
        long blocksBefore = backend.ledger().liveBlocks();
        ByteBuffer data = ByteBuffer.allocateDirect(4 * Float.BYTES).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 100_000; i++) {
            data.putFloat(0, i);
            try (Tensor t = backend.fromBuffer(data, DType.FLOAT32, Shape.of(4), CopyPolicy.IF_NEEDED)) {
                if (i % 1000 == 0) {
                    try (Tensor doubled = t.multiply(2); HostArray host = doubled.toHost()) {
                        assertEquals(2.0f * i, host.getFloat(0));
                    }
                }
            }
        }
        assertEquals(liveBefore, backend.liveDeviceBuffers(), "live cl_mem objects after 100 000 tensors were closed");
        assertEquals(blocksBefore, backend.ledger().liveBlocks(), "ledger: " + backend.ledger());
        assertTrue(backend.createdDeviceBuffers() - createdBefore >= 100_000, "each tensor had its own cl_mem");
        assertTrue(backend.ledger().leaks().isEmpty(), backend.ledger().leaks().toString());
    }

    @Test
    void operationsReleaseTheirScratchBuffersAlsoWhenTheyFail() {
        long before = backend.liveDeviceBuffers();
        try (Tensor indices = backend.constant(new long[] {2, 1, 0, 3, 2, 1, 0, 0}, 4, 2);
                Tensor values = backend.constant(new float[] {1, 2, 3, 4}, 4);
                SparseTensor x = backend.sparseCoo(indices, values, Shape.of(3, 4));
                SparseTensor coalesced = x.coalesce();
                SparseTensor sum = x.add(x);
                SparseTensor transposed = x.transpose();
                Tensor dense = x.toDense(12);
                SparseTensor back = backend.toSparse(dense);
                Tensor rows = x.sum(1);
                Tensor ones = backend.ones(DType.FLOAT32, Shape.of(4, 2));
                Tensor product = x.matmul(ones)) {
            assertEquals(3, coalesced.nnz());
            assertEquals(3, back.nnz());
            assertEquals(3, sum.nnz());
            assertEquals(4, transposed.nnz());
            assertEquals(Shape.of(3), rows.shape());
            assertEquals(Shape.of(3, 2), product.shape());
        }
        try (Tensor a = backend.constant(new int[] {1, 2, 3}, 3); Tensor zero = backend.constant(new int[] {1, 0, 1}, 3)) {
            assertThrows(ArithmeticException.class, () -> a.divide(zero).close());
        }
        assertEquals(before, backend.liveDeviceBuffers(), "scratch or result buffers were not released");
    }

    @Test
    void programsAreCompiledOnceAndReused() {
        try (Tensor a = backend.ones(DType.INT16, Shape.of(3)); Tensor b = a.add(a)) {
            assertEquals(Shape.of(3), b.shape());
        }
        int compiled = backend.compiledPrograms();
        for (int i = 0; i < 20; i++) {
            try (Tensor a = backend.ones(DType.INT16, Shape.of(3)); Tensor b = a.add(a); Tensor c = b.multiply(a)) {
                assertEquals(DType.INT16, c.dtype());
            }
        }
        assertEquals(compiled, backend.compiledPrograms(), "a program was compiled again");
    }

    @Test
    void closeReleasesKernelsProgramsQueueAndContext() {
        GpuBackend own = OpenCl.backendOrSkip();
        Tensor survivor;
        try (Tensor a = own.ones(DType.FLOAT32, Shape.of(8)); Tensor b = a.add(a)) {
            survivor = b.multiply(a);
            assertTrue(own.context().programs().programCount() > 0);
            assertTrue(own.context().programs().kernelCount() > 0);
        }
        own.close();
        own.close();
        assertTrue(own.isClosed());
        assertEquals(0, own.context().programs().programCount(), "programs after close");
        assertEquals(0, own.context().programs().kernelCount(), "kernels after close");
        assertThrows(ClosedResourceException.class, () -> own.zeros(DType.FLOAT32, Shape.of(2)));
        assertThrows(ClosedResourceException.class, () -> survivor.add(survivor));
        assertEquals(1, own.liveDeviceBuffers(), "the tensor still open holds its buffer");
        survivor.close();
        assertEquals(0, own.liveDeviceBuffers(), "closing the last tensor after the backend released its buffer");
        assertEquals(0, own.ledger().liveBlocks());
    }
}
