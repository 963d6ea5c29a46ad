package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tensorbridge.BFloat16;
import org.tensorbridge.DType;
import org.tensorbridge.Float16;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;

/**
 * Kernel values beyond the conformance kit's small inputs: shapes that are not multiples of the matmul
 * tile, broadcasting over four axes, bit-exact float16 and bfloat16 arithmetic, Java's cast and
 * integer-division edge cases, and sparse operations over thousands of entries and many scan chunks.
 * Skipped without OpenCL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpuKernelTest {
    private GpuBackend backend;
    private final Random random = new Random(20261126L);

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

    private static float[] floats(Tensor t) {
        try (HostArray host = t.toHost()) {
            return host.toFloatArray();
        }
    }

    private static long[] longs(Tensor t) {
        try (HostArray host = t.toHost()) {
            return host.toLongArray();
        }
    }

    private static short[] shorts(Tensor t) {
        try (HostArray host = t.toHost()) {
            return toShorts(host);
        }
    }

    private static short[] toShorts(HostArray host) {
        ByteBuffer bytes = host.asByteBuffer();
        short[] out = new short[bytes.remaining() / 2];
        bytes.asShortBuffer().get(out);
        return out;
    }

    private Tensor halves(DType dtype, short[] bits, long... dims) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bits.length * 2).order(ByteOrder.nativeOrder());
        buffer.asShortBuffer().put(bits);
        return backend.fromBuffer(buffer, dtype, Shape.of(dims));
    }

    private float[] randomFloats(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * 10);
        }
        return values;
    }

    @Test
    void matmulOfShapesThatAreNotTileMultiples() {
        int[][] shapes = {{37, 53, 29}, {16, 16, 16}, {1, 100, 1}, {65, 17, 33}, {3, 1, 70}};
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            float[] a = randomFloats(m * k);
            float[] b = randomFloats(k * n);
            int[] ia = new int[m * k];
            int[] ib = new int[k * n];
            for (int i = 0; i < ia.length; i++) {
                ia[i] = random.nextInt(2001) - 1000;
            }
            for (int i = 0; i < ib.length; i++) {
                ib[i] = random.nextInt(2001) - 1000;
            }
            try (Tensor x = backend.constant(a, m, k); Tensor y = backend.constant(b, k, n); Tensor p = x.matmul(y);
                    Tensor xi = backend.constant(ia, m, k); Tensor yi = backend.constant(ib, k, n);
                    Tensor pi = xi.matmul(yi); HostArray ints = pi.toHost()) {
                float[] actual = floats(p);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        double magnitude = 0;
                        int exact = 0;
                        for (int q = 0; q < k; q++) {
                            sum += (double) a[i * k + q] * b[q * n + j];
                            magnitude += Math.abs((double) a[i * k + q] * b[q * n + j]);
                            exact += ia[i * k + q] * ib[q * n + j];
                        }
                        double error = Math.abs(actual[i * n + j] - sum);
                        if (error > 1e-5 * Math.max(1, magnitude)) {
                            fail("float32 matmul " + m + "x" + k + "x" + n + " [" + i + ", " + j + "] is "
                                    + actual[i * n + j] + ", reference " + sum);
                        }
                        assertEquals(exact, ints.getInt(i, j), "int32 matmul " + m + "x" + k + "x" + n);
                    }
                }
            }
        }
    }

    @Test
    void broadcastingOverFourAxesMatchesJavaFloatArithmetic() {
        long[] aDims = {4, 1, 6, 5};
        long[] bDims = {3, 1, 5};
        float[] a = randomFloats(4 * 6 * 5);
        float[] b = randomFloats(3 * 5);
        try (Tensor x = backend.constant(a, aDims); Tensor y = backend.constant(b, bDims);
                Tensor sum = x.add(y); Tensor difference = y.subtract(x); Tensor product = x.multiply(y);
                Tensor quotient = x.divide(y)) {
            assertEquals(Shape.of(4, 3, 6, 5), sum.shape());
            float[][] results = {floats(sum), floats(difference), floats(product), floats(quotient)};
            int i = 0;
            for (int p = 0; p < 4; p++) {
                for (int q = 0; q < 3; q++) {
                    for (int r = 0; r < 6; r++) {
                        for (int s = 0; s < 5; s++, i++) {
                            float u = a[(p * 6 + r) * 5 + s];
                            float v = b[q * 5 + s];
                            assertEquals(u + v, results[0][i], "add at " + i);
                            assertEquals(v - u, results[1][i], "subtract at " + i);
                            assertEquals(u * v, results[2][i], "multiply at " + i);
                            assertEquals(u / v, results[3][i], 3 * Math.ulp(u / v), "divide at " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void largeFlatAdditionIsExact() {
        int n = 1 << 20;
        float[] a = randomFloats(n);
        float[] b = randomFloats(n);
        try (Tensor x = backend.constant(a, n); Tensor y = backend.constant(b, n); Tensor sum = x.add(y)) {
            float[] actual = floats(sum);
            for (int i = 0; i < n; i++) {
                if (actual[i] != a[i] + b[i]) {
                    fail("element " + i + " is " + actual[i] + ", expected " + (a[i] + b[i]));
                }
            }
        }
    }

    @Test
    void float16AndBFloat16ArithmeticIsBitExactWithJava() {
        int n = 4096;
        for (DType dtype : new DType[] {DType.FLOAT16, DType.BFLOAT16}) {
            short[] a = new short[n];
            short[] b = new short[n];
            for (int i = 0; i < n; i++) {
                a[i] = encode(dtype, (float) (random.nextGaussian() * 100));
                b[i] = encode(dtype, (float) (random.nextGaussian() * 100));
            }
            try (Tensor x = halves(dtype, a, n); Tensor y = halves(dtype, b, n); Tensor sum = x.add(y);
                    Tensor product = x.multiply(y); Tensor quotient = x.divide(y); Tensor difference = x.subtract(y)) {
                short[][] actual = {shorts(sum), shorts(product), shorts(quotient), shorts(difference)};
                for (int i = 0; i < n; i++) {
                    float u = decode(dtype, a[i]);
                    float v = decode(dtype, b[i]);
                    float[] expected = {u + v, u * v, u / v, u - v};
                    for (int op = 0; op < 4; op++) {
                        assertEquals(encode(dtype, expected[op]), actual[op][i],
                                dtype.displayName() + " op " + op + " of " + u + " and " + v);
                    }
                }
            }
        }
    }

    private static short encode(DType dtype, float value) {
        return dtype == DType.FLOAT16 ? Float16.fromFloat(value) : BFloat16.fromFloat(value);
    }

    private static float decode(DType dtype, short bits) {
        return dtype == DType.FLOAT16 ? Float16.toFloat(bits) : BFloat16.toFloat(bits);
    }

    @Test
    void integerDivisionWrapsTheMinimumByMinusOneAsJavaDoes() {
        try (Tensor a = backend.constant(new int[] {Integer.MIN_VALUE, 7, -7, 9}, 4);
                Tensor b = backend.constant(new int[] {-1, -2, 2, -1}, 4); Tensor q = a.divide(b);
                Tensor la = backend.constant(new long[] {Long.MIN_VALUE, -9}, 2);
                Tensor lb = backend.constant(new long[] {-1, 4}, 2); Tensor lq = la.divide(lb);
                Tensor ba = backend.constant(new byte[] {-128, 100}, 2);
                Tensor bb = backend.constant(new byte[] {-1, -3}, 2); Tensor bq = ba.divide(bb);
                HostArray ints = q.toHost(); HostArray bytes = bq.toHost()) {
            assertArrayEquals(new int[] {Integer.MIN_VALUE, -3, -3, -9}, ints.toIntArray());
            assertArrayEquals(new long[] {Long.MIN_VALUE, -2}, longs(lq));
            assertArrayEquals(new byte[] {-128, -33}, bytes.toByteArray());
        }
        // constant(byte[]) is int8; the cast keeps the bits: 200 as uint8.
        try (Tensor signed = backend.constant(new byte[] {(byte) 200, 7}, 2); Tensor a = signed.cast(DType.UINT8)) {
            try (Tensor three = backend.fill(DType.UINT8, Shape.of(2), 3); Tensor q = a.divide(three);
                    HostArray host = q.toHost()) {
                assertEquals(66, host.getByte(0) & 0xff);
                assertEquals(2, host.getByte(1));
            }
        }
    }

    @Test
    void castsFollowJavaConversions() {
        try (Tensor f = backend.constant(new float[] {Float.NaN, 1e10f, -1e10f, -1.5f, 2.9f, 300.7f, -1.2f, 200.5f}, 8);
                Tensor i32 = f.cast(DType.INT32); Tensor i64 = f.cast(DType.INT64); Tensor u8 = f.cast(DType.UINT8);
                Tensor i8 = f.cast(DType.INT8); HostArray ints = i32.toHost(); HostArray unsigned = u8.toHost();
                HostArray signed = i8.toHost()) {
            float[] in = {Float.NaN, 1e10f, -1e10f, -1.5f, 2.9f, 300.7f, -1.2f, 200.5f};
            for (int i = 0; i < in.length; i++) {
                assertEquals((int) in[i], ints.getInt(i), "float32 -> int32 of " + in[i]);
                assertEquals((byte) (int) in[i], unsigned.getByte(i), "float32 -> uint8 of " + in[i]);
                assertEquals((byte) (int) in[i], signed.getByte(i), "float32 -> int8 of " + in[i]);
            }
            long[] longs = longs(i64);
            for (int i = 0; i < in.length; i++) {
                assertEquals((long) in[i], longs[i], "float32 -> int64 of " + in[i]);
            }
        }
        try (Tensor f = backend.constant(new float[] {0f, -0f, Float.NaN, 0.5f}, 4); Tensor b = f.cast(DType.BOOL);
                HostArray host = b.toHost()) {
            assertArrayEquals(new boolean[] {false, false, true, true}, host.toBooleanArray());
        }
        // One rounding to bfloat16: 2^24 + 2^16 + 1 rounds up; through float it would tie down to 2^24.
        try (Tensor i = backend.constant(new int[] {(1 << 24) + (1 << 16) + 1, 65519, 65520}, 3);
                Tensor bf = i.cast(DType.BFLOAT16); Tensor half = i.cast(DType.FLOAT16)) {
            assertEquals(BFloat16.fromFloat((1 << 24) + (1 << 17)), shorts(bf)[0]);
            assertEquals(Float16.fromFloat(65504f), shorts(half)[1]);
            assertEquals(Float16.fromFloat(Float.POSITIVE_INFINITY), shorts(half)[2]);
        }
        if (backend.capabilities().supports(DType.FLOAT64)) {
            try (Tensor d = backend.constant(new double[] {1e300, 65519.99, 65520, 1 + 0x1p-11 + 0x1p-40}, 4);
                    Tensor half = d.cast(DType.FLOAT16); Tensor single = d.cast(DType.FLOAT32)) {
                short[] bits = shorts(half);
                assertEquals(Float16.fromFloat(Float.POSITIVE_INFINITY), bits[0]);
                assertEquals(Float16.fromFloat(65504f), bits[1]);
                assertEquals(Float16.fromFloat(Float.POSITIVE_INFINITY), bits[2]);
                assertEquals(Float16.fromFloat(1 + 0x1p-10f), bits[3], "just above a tie rounds up, in one rounding");
                assertEquals(Float.POSITIVE_INFINITY, floats(single)[0]);
            }
        }
    }

    @Test
    void sparseOperationsOverThousandsOfEntries() {
        int rows = 300;
        int columns = 200;
        int nnz = 5000;
        long[] indices = new long[2 * nnz];
        long[] values = new long[nnz];
        long[] dense = new long[rows * columns];
        TreeMap<Long, Long> coalesced = new TreeMap<>();
        for (int p = 0; p < nnz; p++) {
            int r = random.nextInt(rows);
            int c = random.nextInt(columns / 4) * 4; // duplicates are frequent
            indices[2 * p] = r;
            indices[2 * p + 1] = c;
            values[p] = random.nextInt(2001) - 1000;
            dense[r * columns + c] += values[p];
            coalesced.merge((long) r * columns + c, values[p], Long::sum);
        }
        long[] b = new long[columns * 7];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextInt(21) - 10;
        }
        try (Tensor index = backend.constant(indices, nnz, 2); Tensor value = backend.constant(values, nnz);
                SparseTensor x = backend.sparseCoo(index, value, Shape.of(rows, columns));
                SparseTensor c = x.coalesce(); SparseValue cv = c.toSparseValue();
                SparseTensor twice = x.add(c); Tensor twiceDense = twice.toDense(rows * columns);
                SparseTensor t = x.transpose(); Tensor tDense = t.toDense(rows * columns);
                Tensor columnSums = x.sum(0); Tensor rowSums = x.sum(1);
                Tensor bt = backend.constant(b, columns, 7); Tensor product = x.matmul(bt);
                Tensor xDense = x.toDense(rows * columns); SparseTensor back = backend.toSparse(xDense)) {
            assertEquals(coalesced.size(), c.nnz());
            long[] ci = cv.indices().toLongArray();
            long[] cval = cv.values().toLongArray();
            int p = 0;
            for (var entry : coalesced.entrySet()) {
                assertEquals(entry.getKey() / columns, ci[2 * p], "coalesced row " + p);
                assertEquals(entry.getKey() % columns, ci[2 * p + 1], "coalesced column " + p);
                assertEquals(entry.getValue(), cval[p], "coalesced value " + p);
                p++;
            }
            assertTrue(twice.isCanonical());
            long[] twiceValues = longs(twiceDense);
            long[] transposed = longs(tDense);
            long[] cs = longs(columnSums);
            long[] rs = longs(rowSums);
            long[] prod = longs(product);
            long[] xd = longs(xDense);
            long[] expectedColumns = new long[columns];
            long[] expectedRows = new long[rows];
            for (int r = 0; r < rows; r++) {
                for (int col = 0; col < columns; col++) {
                    long v = dense[r * columns + col];
                    assertEquals(2 * v, twiceValues[r * columns + col]);
                    assertEquals(v, transposed[col * rows + r]);
                    assertEquals(v, xd[r * columns + col]);
                    expectedColumns[col] += v;
                    expectedRows[r] += v;
                }
                for (int j = 0; j < 7; j++) {
                    long sum = 0;
                    for (int col = 0; col < columns; col++) {
                        sum += dense[r * columns + col] * b[col * 7 + j];
                    }
                    assertEquals(sum, prod[r * 7 + j], "matmul [" + r + ", " + j + "]");
                }
            }
            assertArrayEquals(expectedColumns, cs);
            assertArrayEquals(expectedRows, rs);
            long nonZero = java.util.Arrays.stream(dense).filter(v -> v != 0).count();
            assertEquals(nonZero, back.nnz());
            assertEquals(nnz, t.nnz(), "transpose keeps duplicates");
            assertEquals(false, t.isCanonical(), "a transpose with duplicates is not canonical");
        }
    }

    @Test
    void toSparseAcrossManyScanChunks() {
        int n = 300_007;
        float[] values = new float[n];
        for (int i = 0; i < n; i += 7) {
            values[i] = i + 1;
        }
        try (Tensor dense = backend.constant(values, n); SparseTensor sparse = backend.toSparse(dense);
                SparseValue value = sparse.toSparseValue()) {
            assertEquals((n + 6) / 7, sparse.nnz());
            long[] indices = value.indices().toLongArray();
            float[] stored = value.values().toFloatArray();
            for (int p = 0; p < indices.length; p++) {
                assertEquals(7L * p, indices[p]);
                assertEquals(7f * p + 1, stored[p]);
            }
        }
    }

    @Test
    void sumOfRankThreeAndRankOneSparseTensors() {
        long[] indices = {0, 1, 2, 1, 0, 2, 0, 2, 2, 1, 1, 0};
        float[] values = {1, 2, 3, 4};
        try (Tensor index = backend.constant(indices, 4, 3); Tensor value = backend.constant(values, 4);
                SparseTensor x = backend.sparseCoo(index, value, Shape.of(2, 3, 3)); Tensor s = x.sum(1)) {
            // Entries (0,1,2)=1, (1,0,2)=2, (0,2,2)=3, (1,1,0)=4; summing axis 1 gives [2, 3].
            assertArrayEquals(new float[] {0, 0, 4, 4, 0, 2}, floats(s));
        }
        try (Tensor index = backend.constant(new long[] {3, 1, 3}, 3, 1); Tensor value = backend.constant(
                new float[] {1, 2, 4}, 3); SparseTensor x = backend.sparseCoo(index, value, Shape.of(5));
                Tensor total = x.sum(0); HostArray host = total.toHost()) {
            assertEquals(Shape.scalar(), total.shape());
            assertEquals(7f, host.getFloat());
        }
    }
}
