package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.backend.reference.ReferenceBackend;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.spi.HostIndexChecks;
import org.tensorbridge.spi.HostMemory;
import org.tensorbridge.spi.IndexChecks;
import org.tensorbridge.spi.Memory;
import org.tensorbridge.spi.Operand;

/**
 * The device checks of a new sparse tensor's parts give exactly the host checks' structured answers
 * (the first invalid entry, the canonical flag, the first CSR problem) without reading the parts back:
 * only a few scalars cross to the host. Through the backend, a refused input gets the exception and the
 * message the spi words for every backend, the reference backend's. Skipped without OpenCL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpuIndexCheckTest {
    private GpuBackend backend;
    private final ReferenceBackend reference = new ReferenceBackend();
    private final MemoryLedger hostLedger = new MemoryLedger("host checks of GpuIndexCheckTest");
    private final Memory host = new HostMemory(hostLedger, false);
    private final IndexChecks hostChecks = new HostIndexChecks(host);
    private Memory device;
    private IndexChecks deviceChecks;
    private final Random random = new Random(20261202L);

    @BeforeAll
    void open() {
        backend = OpenCl.backendOrNull();
        if (backend != null) {
            device = new DeviceMemory(backend.context(), backend.ledger(), backend.pinnedPool());
            // The device checks must answer themselves: a fallback to the host fails the test.
            deviceChecks = new DeviceIndexChecks(backend.context(), new IndexChecks() {
                @Override
                public InvalidIndex firstInvalidIndex(Operand indices, Shape denseShape) {
                    throw new AssertionError("the index check fell back to the host");
                }

                @Override
                public boolean isCanonical(Operand indices, Shape denseShape) {
                    throw new AssertionError("the canonical check fell back to the host");
                }

                @Override
                public CsrProblem csrToCoo(Operand indptr, Operand columns, long columnCount, Operand coo) {
                    throw new AssertionError("the CSR check fell back to the host");
                }
            });
        }
    }

    @BeforeEach
    void requireOpenCl() {
        OpenCl.assumeAvailable();
    }

    @AfterAll
    void close() {
        assertEquals(0, hostLedger.liveBlocks(), hostLedger.toString());
        if (backend != null) {
            assertEquals(0, backend.ledger().liveBlocks(), "a test left memory open: " + backend.ledger());
            backend.close();
        }
    }

    /** {@code values} as an int64 operand of {@code memory}, released by closing. */
    private record Longs(Operand operand) implements AutoCloseable {
        static Longs of(Memory memory, long[] values, long... dims) {
            Shape shape = Shape.of(dims);
            Storage storage = memory.allocate(DType.INT64, shape);
            ByteBuffer bytes = ByteBuffer.allocateDirect(values.length * Long.BYTES).order(ByteOrder.nativeOrder());
            bytes.asLongBuffer().put(values);
            memory.upload(bytes, storage);
            return new Longs(new Operand(storage, DType.INT64, shape));
        }

        @Override
        public void close() {
            operand.storage().release();
        }
    }

    private long bytesRead() {
        return backend.context().bytesRead();
    }

    private long[] randomIndices(int nnz, Shape shape) {
        long[] indices = new long[nnz * shape.rank()];
        for (int i = 0; i < nnz; i++) {
            for (int d = 0; d < shape.rank(); d++) {
                indices[i * shape.rank() + d] = random.nextInt((int) shape.dim(d));
            }
        }
        return indices;
    }

    /**
     * Checks {@code indices} on both sides and creates the sparse tensor on both backends; returns the
     * first invalid index, or null with the canonical flags compared.
     */
    private IndexChecks.InvalidIndex create(long[] indices, Shape shape, int nnz) {
        IndexChecks.InvalidIndex expected;
        try (Longs onHost = Longs.of(host, indices, nnz, shape.rank());
                Longs onDevice = Longs.of(device, indices, nnz, shape.rank())) {
            expected = hostChecks.firstInvalidIndex(onHost.operand(), shape);
            long before = bytesRead();
            assertEquals(expected, deviceChecks.firstInvalidIndex(onDevice.operand(), shape),
                    "first invalid index of " + Arrays.toString(Arrays.copyOf(indices, Math.min(indices.length, 12))));
            assertTrue(bytesRead() - before <= Integer.BYTES + Long.BYTES, "read back " + (bytesRead() - before));
            if (expected == null) {
                before = bytesRead();
                assertEquals(hostChecks.isCanonical(onHost.operand(), shape),
                        deviceChecks.isCanonical(onDevice.operand(), shape), "canonical flag");
                assertTrue(bytesRead() - before <= Integer.BYTES, "read back " + (bytesRead() - before));
            }
        }
        try (Tensor index = backend.constant(indices, nnz, shape.rank());
                Tensor values = backend.ones(DType.FLOAT32, Shape.of(nnz));
                Tensor referenceIndex = reference.constant(indices, nnz, shape.rank());
                Tensor referenceValues = reference.ones(DType.FLOAT32, Shape.of(nnz))) {
            long before = bytesRead();
            if (expected != null) {
                RuntimeException wanted = assertThrows(RuntimeException.class,
                        () -> reference.sparseCoo(referenceIndex, referenceValues, shape).close());
                RuntimeException actual = assertThrows(wanted.getClass(),
                        () -> backend.sparseCoo(index, values, shape).close());
                assertEquals(wanted.getMessage(), actual.getMessage(), "the spi words every backend's refusal alike");
                assertTrue(bytesRead() - before <= Integer.BYTES + Long.BYTES, "read back " + (bytesRead() - before));
                return expected;
            }
            try (SparseTensor sparse = backend.sparseCoo(index, values, shape);
                    SparseTensor wanted = reference.sparseCoo(referenceIndex, referenceValues, shape)) {
                assertTrue(bytesRead() - before <= 2 * Integer.BYTES, "read back " + (bytesRead() - before));
                assertEquals(wanted.isCanonical(), sparse.isCanonical());
            }
        }
        return null;
    }

    @Test
    void theFirstInvalidEntryIsTheHostChecksAndWordedByTheSpi() {
        Shape shape = Shape.of(7, 5, 300);
        int nnz = 4000;
        for (int trial = 0; trial < 20; trial++) {
            long[] indices = randomIndices(nnz, shape);
            int bad = 1 + random.nextInt(3);
            for (int b = 0; b < bad; b++) {
                int at = random.nextInt(indices.length);
                long size = shape.dim(at % shape.rank());
                indices[at] = random.nextBoolean() ? -1 - random.nextInt(1000) : size + random.nextInt(1000);
            }
            assertNotNull(create(indices, shape, nnz), "trial " + trial + " had invalid indices");
        }
    }

    @Test
    void edgeCasesMatchTheHostCheck() {
        assertEquals(new IndexChecks.InvalidIndex(2, 1, 7), create(new long[] {0, 0, 1, 1, 2, 7}, Shape.of(3, 4), 3));
        assertEquals(new IndexChecks.InvalidIndex(1, 0, -1), create(new long[] {0, 0, -1, 1, 2, 2}, Shape.of(3, 4), 3));
        assertNotNull(create(new long[] {Long.MIN_VALUE, 0}, Shape.of(3, 4), 1));
        assertNotNull(create(new long[] {0, Long.MAX_VALUE}, Shape.of(3, 4), 1));
        assertNotNull(create(new long[] {0, 0}, Shape.of(3, 0), 1), "an axis of size 0 admits no index");
        assertEquals(new IndexChecks.InvalidIndex(0, 0, 5), create(new long[] {5, 9, 9, 5}, Shape.of(3, 4), 2),
                "two bad entries: the first is named");
        create(new long[0], Shape.of(3, 4), 0);
        create(new long[] {2, 3}, Shape.of(3, 4), 1);
    }

    @Test
    void theCanonicalFlagMatchesTheHostCheck() {
        Shape shape = Shape.of(40, 30);
        create(new long[] {0, 0, 0, 1, 1, 0, 39, 29}, shape, 4); // strictly increasing
        create(new long[] {0, 1, 0, 0}, shape, 2); // decreasing
        create(new long[] {3, 3, 3, 3}, shape, 2); // a duplicate
        for (int trial = 0; trial < 10; trial++) {
            int nnz = 2 + random.nextInt(5000);
            long[] indices = randomIndices(nnz, shape);
            if (trial % 2 == 0) {
                long[] keys = new long[nnz];
                for (int i = 0; i < nnz; i++) {
                    keys[i] = indices[2 * i] * 30 + indices[2 * i + 1];
                }
                keys = Arrays.stream(keys).sorted().distinct().toArray();
                nnz = keys.length;
                indices = new long[2 * nnz];
                for (int i = 0; i < nnz; i++) {
                    indices[2 * i] = keys[i] / 30;
                    indices[2 * i + 1] = keys[i] % 30;
                }
            }
            create(indices, shape, nnz);
        }
    }

    @Test
    void checksReleaseTheirScratchBuffers() {
        long live = backend.liveDeviceBuffers();
        create(new long[] {0, 0, 1, 9}, Shape.of(3, 4), 2);
        create(new long[] {0, 0, 1, 2}, Shape.of(3, 4), 2);
        assertEquals(live, backend.liveDeviceBuffers());
    }

    /**
     * A CSR matrix is checked and expanded on the device: the first problem is the host check's, a
     * refused matrix gets the spi's words for it, the COO indices are those the rows and columns say, and
     * only scalars come back.
     */
    @Test
    void csrIsCheckedAndExpandedOnTheDevice() {
        int rows = 300;
        int columns = 50;
        for (int trial = 0; trial < 10; trial++) {
            long[] indptr = new long[rows + 1];
            for (int r = 0; r < rows; r++) {
                indptr[r + 1] = indptr[r] + random.nextInt(4);
            }
            int nnz = (int) indptr[rows];
            long[] cols = new long[nnz];
            for (int i = 0; i < nnz; i++) {
                cols[i] = random.nextInt(columns);
            }
            switch (trial % 3) {
                case 1 -> {
                    int r = 1 + random.nextInt(rows - 1);
                    indptr[r] = indptr[r - 1] - 1;
                }
                case 2 -> {
                    int i = random.nextInt(nnz);
                    cols[i] = random.nextBoolean() ? -1 : columns + random.nextInt(5);
                }
                default -> { }
            }
            checkCsr(indptr, cols, rows, columns, "trial " + trial);
        }
    }

    private void checkCsr(long[] indptr, long[] cols, int rows, int columns, String what) {
        int nnz = cols.length;
        IndexChecks.CsrProblem expected;
        try (Longs p = Longs.of(host, indptr, rows + 1); Longs c = Longs.of(host, cols, nnz);
                Longs coo = Longs.of(host, new long[2 * nnz], nnz, 2);
                Longs dp = Longs.of(device, indptr, rows + 1); Longs dc = Longs.of(device, cols, nnz);
                Longs dcoo = Longs.of(device, new long[2 * nnz], nnz, 2)) {
            expected = hostChecks.csrToCoo(p.operand(), c.operand(), columns, coo.operand());
            long before = bytesRead();
            assertEquals(expected, deviceChecks.csrToCoo(dp.operand(), dc.operand(), columns, dcoo.operand()), what);
            assertTrue(bytesRead() - before <= Integer.BYTES + 2 * Long.BYTES, what + ": read back "
                    + (bytesRead() - before));
        }
        try (Tensor p = backend.constant(indptr, rows + 1); Tensor c = backend.constant(cols, nnz);
                Tensor v = backend.ones(DType.FLOAT32, Shape.of(nnz)); Tensor rp = reference.constant(indptr, rows + 1);
                Tensor rc = reference.constant(cols, nnz); Tensor rv = reference.ones(DType.FLOAT32, Shape.of(nnz))) {
            long before = bytesRead();
            if (expected != null) {
                RuntimeException wanted = assertThrows(RuntimeException.class,
                        () -> reference.sparseCsr(rp, rc, rv, Shape.of(rows, columns)).close());
                RuntimeException actual = assertThrows(wanted.getClass(),
                        () -> backend.sparseCsr(p, c, v, Shape.of(rows, columns)).close());
                assertEquals(wanted.getMessage(), actual.getMessage(), what);
                assertTrue(bytesRead() - before <= Integer.BYTES + 2 * Long.BYTES,
                        "a refused CSR read back " + (bytesRead() - before) + " bytes");
                return;
            }
            try (SparseTensor sparse = backend.sparseCsr(p, c, v, Shape.of(rows, columns));
                    SparseTensor wanted = reference.sparseCsr(rp, rc, rv, Shape.of(rows, columns))) {
                assertTrue(bytesRead() - before <= 4 * Integer.BYTES,
                        "creating a CSR matrix read back " + (bytesRead() - before) + " bytes");
                assertArrayEquals(indices(wanted), indices(sparse), what + ": COO indices");
            }
        }
    }

    private static long[] indices(SparseTensor sparse) {
        try (SparseValue value = sparse.toSparseValue()) {
            return value.indices().toLongArray();
        }
    }

    @Test
    void csrEdgeCasesMatchTheHostCheck() {
        checkCsr(new long[] {1, 1}, new long[] {0}, 1, 3, "indptr not starting at 0");
        checkCsr(new long[] {0, 2}, new long[] {0}, 1, 3, "indptr not ending at nnz");
        checkCsr(new long[] {0, 0, 0}, new long[0], 2, 3, "no entries");
        checkCsr(new long[] {0, 2}, new long[] {3, -1}, 1, 3, "two bad columns: the first is named");
        checkCsr(new long[] {0, 1, 2}, new long[] {2, 0}, 2, 3, "valid");
    }
}
