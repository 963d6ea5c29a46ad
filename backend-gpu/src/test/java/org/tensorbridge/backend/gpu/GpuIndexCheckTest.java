package org.tensorbridge.backend.gpu;

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
import org.tensorbridge.Tensor;
import org.tensorbridge.spi.HostSparseKernels;

/**
 * The device checks of a new sparse tensor's indices give exactly the host checks' answers (the message
 * of the first invalid entry, word for word, and the canonical flag) without reading the indices back:
 * only a few scalars cross to the host. Skipped without OpenCL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpuIndexCheckTest {
    private GpuBackend backend;
    private final Random random = new Random(20261202L);

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
            assertEquals(0, backend.ledger().liveBlocks(), "a test left memory open: " + backend.ledger());
            backend.close();
        }
    }

    private static ByteBuffer host(long[] indices) {
        ByteBuffer bytes = ByteBuffer.allocate(indices.length * Long.BYTES).order(ByteOrder.nativeOrder());
        bytes.asLongBuffer().put(indices);
        return bytes;
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

    /** Creates the sparse tensor; returns the exception message, or null with the canonical flag checked. */
    private String create(long[] indices, Shape shape, int nnz) {
        long readBefore = backend.context().bytesRead();
        String expected = HostSparseKernels.firstInvalidIndex(host(indices), nnz, shape);
        try (Tensor index = backend.constant(indices, nnz, shape.rank());
                Tensor values = backend.ones(DType.FLOAT32, Shape.of(nnz))) {
            readBefore = backend.context().bytesRead();
            if (expected != null) {
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                        () -> backend.sparseCoo(index, values, shape).close());
                assertEquals(expected, e.getMessage(), "the device check's message differs from the host check's");
                assertTrue(backend.context().bytesRead() - readBefore <= Integer.BYTES + Long.BYTES,
                        "read back " + (backend.context().bytesRead() - readBefore) + " bytes");
                return e.getMessage();
            }
            try (SparseTensor sparse = backend.sparseCoo(index, values, shape)) {
                assertTrue(backend.context().bytesRead() - readBefore <= 2 * Integer.BYTES,
                        "read back " + (backend.context().bytesRead() - readBefore) + " bytes");
                assertEquals(HostSparseKernels.isCanonical(host(indices), nnz, shape), sparse.isCanonical(),
                        "canonical flag of " + Arrays.toString(Arrays.copyOf(indices, Math.min(indices.length, 12))));
            }
            return null;
        }
    }

    @Test
    void theFirstInvalidEntryIsNamedExactlyAsTheHostCheckNamesIt() {
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
        assertNotNull(create(new long[] {0, 0, 1, 1, 2, 7}, Shape.of(3, 4), 3));
        assertNotNull(create(new long[] {0, 0, -1, 1, 2, 2}, Shape.of(3, 4), 3));
        assertNotNull(create(new long[] {Long.MIN_VALUE, 0}, Shape.of(3, 4), 1));
        assertNotNull(create(new long[] {0, Long.MAX_VALUE}, Shape.of(3, 4), 1));
        assertNotNull(create(new long[] {0, 0}, Shape.of(3, 0), 1), "an axis of size 0 admits no index");
        assertNotNull(create(new long[] {5, 9, 9, 5}, Shape.of(3, 4), 2), "two bad entries: the first is named");
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
     * A CSR matrix is checked and expanded on the device: its COO indices are those the rows and columns
     * say, a refused matrix gets the spi's words for the first bad entry, and only scalars come back.
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
            String expected = null;
            Class<? extends RuntimeException> type = null;
            switch (trial % 3) {
                case 1 -> {
                    int r = 1 + random.nextInt(rows - 1);
                    indptr[r] = indptr[r - 1] - 1;
                    expected = org.tensorbridge.spi.CsrMessages.badIndptr(r, indptr[r], indptr[r - 1], nnz);
                    type = IllegalArgumentException.class;
                }
                case 2 -> {
                    int i = random.nextInt(nnz);
                    cols[i] = random.nextBoolean() ? -1 : columns + random.nextInt(5);
                    for (int j = 0; j < i; j++) {
                        cols[j] = Math.floorMod(cols[j], columns);
                    }
                    expected = org.tensorbridge.spi.CsrMessages.badColumn(i, cols[i], columns);
                    type = IndexOutOfBoundsException.class;
                }
                default -> { }
            }
            try (Tensor p = backend.constant(indptr, rows + 1); Tensor c = backend.constant(cols, nnz);
                    Tensor v = backend.ones(DType.FLOAT32, Shape.of(nnz))) {
                long readBefore = backend.context().bytesRead();
                if (type != null) {
                    RuntimeException e = assertThrows(type, () -> backend.sparseCsr(p, c, v, Shape.of(rows, columns))
                            .close());
                    assertEquals(expected, e.getMessage(), "trial " + trial);
                    assertTrue(backend.context().bytesRead() - readBefore <= Integer.BYTES + 2 * Long.BYTES,
                            "a refused CSR read back " + (backend.context().bytesRead() - readBefore) + " bytes");
                    continue;
                }
                try (SparseTensor sparse = backend.sparseCsr(p, c, v, Shape.of(rows, columns))) {
                    assertTrue(backend.context().bytesRead() - readBefore <= 4 * Integer.BYTES,
                            "creating a CSR matrix read back " + (backend.context().bytesRead() - readBefore) + " bytes");
                    try (org.tensorbridge.SparseValue value = sparse.toSparseValue()) {
                        long[] coo = value.indices().toLongArray();
                        for (int r = 0, i = 0; r < rows; r++) {
                            for (; i < indptr[r + 1]; i++) {
                                assertEquals(r, coo[2 * i], "row of entry " + i);
                                assertEquals(cols[i], coo[2 * i + 1], "column of entry " + i);
                            }
                        }
                    }
                }
            }
        }
    }
}
