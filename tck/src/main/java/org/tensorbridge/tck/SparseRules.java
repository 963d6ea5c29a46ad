package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.CsrValue;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.DenseSizeLimitException;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.Sharing;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;

/** Rules 10.x: sparse tensors, checked against the dense formulas. */
public interface SparseRules extends KitContext {

    /** COO parts on the host: what the kit builds sparse tensors from and compares with. */
    record Coo(long[][] indices, double[] values, Shape shape) {
        double[] dense() {
            double[] dense = new double[(int) shape.elementCount()];
            long[] strides = shape.contiguousStrides();
            for (int i = 0; i < values.length; i++) {
                long key = 0;
                for (int d = 0; d < shape.rank(); d++) {
                    key += indices[i][d] * strides[d];
                }
                dense[(int) key] += values[i];
            }
            return dense;
        }
    }

    private SparseTensor sparse(Coo coo, DType dtype) {
        long[] flat = Arrays.stream(coo.indices()).flatMapToLong(Arrays::stream).toArray();
        try (Tensor indices = fixtures().tensor(DType.INT64, Shape.of(coo.values().length, coo.shape().rank()),
                Arrays.stream(flat).asDoubleStream().toArray());
                Tensor values = fixtures().tensor(dtype, Shape.of(coo.values().length), coo.values())) {
            return backend().sparseCoo(indices, values, coo.shape());
        }
    }

    /** Random COO parts with duplicates and any order; density in [0, 1]. */
    private Coo randomCoo(Random random, Shape shape, double density, DType dtype) {
        int count = (int) Math.round(shape.elementCount() * density);
        long[][] indices = new long[count][shape.rank()];
        for (int i = 0; i < count; i++) {
            for (int d = 0; d < shape.rank(); d++) {
                indices[i][d] = random.nextInt((int) shape.dim(d));
            }
        }
        return new Coo(indices, fixtures().randomValues(random, dtype, count, true), shape);
    }

    private double[] dense(SparseTensor tensor) {
        try (Tensor dense = tensor.toDense(tensor.denseShape().elementCount())) {
            return fixtures().values(dense);
        }
    }

    private static void assertClose(double[] expected, double[] actual, DType dtype, String what) {
        assertEquals(expected.length, actual.length, what + ": element count");
        double tolerance = OperationRules.tolerance(dtype);
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > tolerance * Math.max(1, Math.abs(expected[i]))) {
                fail(what + ": element " + i + " is " + actual[i] + ", reference " + expected[i]);
            }
        }
    }

    /**
     * The dtypes among float32, float64, int32 and int64 on which the backend declares every sparse
     * operation rule 10.1 runs: a backend is held to what it declares, not to every dtype it stores.
     */
    private List<DType> sparseDTypes() {
        List<Operation> used = List.of(Operations.COALESCE, Operations.SPARSE_MATMUL, Operations.SPARSE_ADD,
                Operations.SPARSE_MULTIPLY, Operations.SPARSE_TRANSPOSE, Operations.SPARSE_SUM, Operations.TO_DENSE,
                Operations.TO_SPARSE);
        List<DType> dtypes = new ArrayList<>();
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64}) {
            if (used.stream().allMatch(op -> declares(op, dtype))) {
                dtypes.add(dtype);
            }
        }
        return dtypes;
    }

    @Test
    @ConformanceRule("10.1")
    default void sparseOperationsMatchTheDenseReference() {
        Random random = fixtures().random("10.1");
        for (DType dtype : sparseDTypes()) {
            for (int trial = 0; trial < 6; trial++) {
                int m = 1 + random.nextInt(6);
                int k = 1 + random.nextInt(6);
                int n = 1 + random.nextInt(4);
                Coo a = randomCoo(random, Shape.of(m, k), random.nextDouble(), dtype);
                Coo b = randomCoo(random, Shape.of(m, k), random.nextDouble(), dtype);
                double[] dense = fixtures().randomValues(random, dtype, k * n, false);
                String what = dtype.displayName() + " [" + m + ", " + k + "] nnz " + a.values().length + " (seed "
                        + fixtures().seed() + ")";
                try (SparseTensor x = sparse(a, dtype);
                        SparseTensor y = sparse(b, dtype);
                        Tensor d = fixtures().tensor(dtype, Shape.of(k, n), dense);
                        SparseTensor coalesced = x.coalesce();
                        Tensor product = x.matmul(d);
                        SparseTensor sum = x.add(y);
                        SparseTensor scaled = x.multiply(3);
                        SparseTensor transposed = x.transpose();
                        Tensor rows = x.sum(1);
                        Tensor columns = x.sum(0);
                        Tensor denseX = x.toDense(m * k);
                        SparseTensor roundTrip = backend().toSparse(denseX)) {
                    double[] ax = a.dense();
                    double[] bx = b.dense();
                    assertClose(ax, dense(coalesced), dtype, "coalesce " + what);
                    assertClose(Reference.matmul(ax, dense, m, k, n), fixtures().values(product), dtype, "matmul " + what);
                    double[] both = new double[ax.length];
                    double[] tripled = new double[ax.length];
                    double[] transposedRef = new double[ax.length];
                    double[] rowSums = new double[m];
                    double[] columnSums = new double[k];
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < k; j++) {
                            double v = ax[i * k + j];
                            both[i * k + j] = v + bx[i * k + j];
                            tripled[i * k + j] = 3 * v;
                            transposedRef[j * m + i] = v;
                            rowSums[i] += v;
                            columnSums[j] += v;
                        }
                    }
                    assertClose(both, dense(sum), dtype, "add " + what);
                    assertClose(tripled, dense(scaled), dtype, "multiply by 3 " + what);
                    assertEquals(Shape.of(k, m), transposed.denseShape(), "transpose shape " + what);
                    assertClose(transposedRef, dense(transposed), dtype, "transpose " + what);
                    assertClose(rowSums, fixtures().values(rows), dtype, "sum(1) " + what);
                    assertClose(columnSums, fixtures().values(columns), dtype, "sum(0) " + what);
                    assertClose(ax, fixtures().values(denseX), dtype, "toDense " + what);
                    assertClose(ax, dense(roundTrip), dtype, "toSparse(toDense) " + what);
                    long nonZero = Arrays.stream(ax).filter(v -> v != 0).count();
                    assertEquals(nonZero, roundTrip.nnz(), "toSparse keeps exactly the non-zero elements " + what);
                }
            }
        }
    }

    @Test
    @ConformanceRule("10.2")
    default void coalesceIsCanonicalAndTheFlagIsTrue() {
        Coo unsorted = new Coo(new long[][] {{2, 1}, {0, 3}, {2, 1}, {0, 0}, {1, 2}}, new double[] {1, 2, 3, 4, 5},
                Shape.of(3, 4));
        Coo sorted = new Coo(new long[][] {{0, 0}, {0, 3}, {1, 2}, {2, 1}}, new double[] {4, 2, 5, 4}, Shape.of(3, 4));
        Coo sortedWithDuplicate = new Coo(new long[][] {{0, 0}, {1, 2}, {1, 2}}, new double[] {1, 2, 3}, Shape.of(3, 4));
        try (SparseTensor x = sparse(unsorted, DType.FLOAT32);
                SparseTensor y = sparse(sorted, DType.FLOAT32);
                SparseTensor z = sparse(sortedWithDuplicate, DType.FLOAT32);
                SparseTensor coalesced = x.coalesce();
                SparseValue value = coalesced.toSparseValue()) {
            assertFalse(x.isCanonical(), "unsorted indices with a duplicate reported canonical");
            assertTrue(y.isCanonical(), "sorted indices without duplicates reported not canonical");
            assertFalse(z.isCanonical(), "sorted indices with a duplicate reported canonical");
            assertTrue(coalesced.isCanonical() && value.isCanonical(), "coalesce() did not report canonical");
            assertEquals(4, coalesced.nnz(), "coalesce() must merge the duplicate [2, 1]");
            assertArrayEquals(new long[] {0, 0, 0, 3, 1, 2, 2, 1}, value.indices().toLongArray(),
                    "coalesce() order is not row-major");
            assertArrayEquals(new double[] {4, 2, 5, 4}, value.values().convertToDoubleArray(),
                    "coalesce() did not sum the duplicate values 1 + 3");
        }
    }

    @Test
    @ConformanceRule("10.3")
    default void emptyAndFullSparseTensorsWork() {
        Coo empty = new Coo(new long[0][2], new double[0], Shape.of(3, 2));
        long[][] all = new long[6][];
        double[] values = new double[6];
        for (int i = 0; i < 6; i++) {
            all[i] = new long[] {i / 2, i % 2};
            values[i] = i + 1;
        }
        Coo full = new Coo(all, values, Shape.of(3, 2));
        for (Coo coo : List.of(empty, full)) {
            String what = coo.values().length == 0 ? "empty" : "full";
            try (SparseTensor x = sparse(coo, DType.FLOAT32);
                    Tensor d = fixtures().tensor(DType.FLOAT32, Shape.of(2, 2), 1, 2, 3, 4);
                    SparseTensor coalesced = x.coalesce();
                    SparseTensor sum = x.add(x);
                    SparseTensor transposed = x.transpose();
                    Tensor product = x.matmul(d);
                    Tensor total = x.sum(0);
                    SparseValue value = x.toSparseValue();
                    CsrValue csr = value.toCsr()) {
                double[] ax = coo.dense();
                assertArrayEquals(ax, dense(coalesced), what + " coalesce");
                assertArrayEquals(Arrays.stream(ax).map(v -> 2 * v).toArray(), dense(sum), what + " add");
                assertEquals(coo.values().length, transposed.nnz(), what + " transpose nnz");
                assertArrayEquals(Reference.matmul(ax, new double[] {1, 2, 3, 4}, 3, 2, 2), fixtures().values(product),
                        what + " matmul");
                assertEquals(Shape.of(2), total.shape(), what + " sum(0) shape");
                assertEquals(Shape.of(coo.values().length, 2), value.indices().shape(), what + " indices shape");
                assertEquals(coo.values().length, csr.indptr().getLong(3), what + " CSR indptr end");
            }
        }
    }

    @Test
    @ConformanceRule("10.4")
    default void malformedInputIsRefusedNamingTheEntry() {
        try (Tensor values = fixtures().floats(1, 2, 3)) {
            try (Tensor outOfRange = fixtures().tensor(DType.INT64, Shape.of(3, 2), 0, 0, 1, 1, 2, 7)) {
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                        () -> backend().sparseCoo(outOfRange, values, Shape.of(3, 4)).close(), "index 7 in a [3, 4]");
                assertTrue(e.getMessage().contains("indices[2, 1]") && e.getMessage().contains("7"),
                        "the message does not name entry [2, 1] and its value 7: " + e.getMessage());
            }
            try (Tensor negative = fixtures().tensor(DType.INT64, Shape.of(3, 2), 0, 0, -1, 1, 2, 2)) {
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                        () -> backend().sparseCoo(negative, values, Shape.of(3, 4)).close(), "a negative index");
                assertTrue(e.getMessage().contains("indices[1, 0]") && e.getMessage().contains("-1"), e.getMessage());
            }
            if (declared().supports(DType.INT32)) {
                try (Tensor narrow = fixtures().tensor(DType.INT32, Shape.of(3, 2), 0, 0, 1, 1, 2, 2)) {
                    DTypeMismatchException e = assertThrows(DTypeMismatchException.class,
                            () -> backend().sparseCoo(narrow, values, Shape.of(3, 4)).close(), "int32 indices");
                    assertTrue(e.getMessage().contains("indices") && e.getMessage().contains("int64"), e.getMessage());
                }
            }
            try (Tensor wrongRank = fixtures().tensor(DType.INT64, Shape.of(3, 3), new double[9])) {
                ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                        () -> backend().sparseCoo(wrongRank, values, Shape.of(3, 4)).close(), "rank-3 indices for rank 2");
                assertTrue(e.getMessage().contains("indices"), e.getMessage());
            }
            try (Tensor indices = fixtures().tensor(DType.INT64, Shape.of(2, 2), 0, 0, 1, 1)) {
                ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                        () -> backend().sparseCoo(indices, values, Shape.of(3, 4)).close(), "3 values for 2 indices");
                assertTrue(e.getMessage().contains("values"), e.getMessage());
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend().sparseCsr(new long[] {0, 2, 1, 3}, new long[] {0, 1, 2}, new float[] {1, 2, 3}, 3, 3)
                        .close(), "a decreasing indptr");
        assertTrue(e.getMessage().contains("indptr[2]"), "the message does not name indptr[2]: " + e.getMessage());
        IndexOutOfBoundsException column = assertThrows(IndexOutOfBoundsException.class,
                () -> backend().sparseCsr(new long[] {0, 1, 2}, new long[] {0, 5}, new float[] {1, 2}, 2, 3).close(),
                "a column out of range");
        assertTrue(column.getMessage().contains("columns[1]") && column.getMessage().contains("5"), column.getMessage());
    }

    @Test
    @ConformanceRule("10.5")
    default void toDenseRefusesPastTheLimit() {
        Coo coo = new Coo(new long[][] {{0, 1}}, new double[] {1}, Shape.of(1000, 1000));
        try (SparseTensor x = sparse(coo, DType.FLOAT32)) {
            DenseSizeLimitException e = assertThrows(DenseSizeLimitException.class, () -> x.toDense(999_999).close(),
                    "a million-element dense form with a limit of 999999");
            assertTrue(e.getMessage().contains("1000000") && e.getMessage().contains("[1000, 1000]"),
                    "the message does not give the dense size: " + e.getMessage());
            try (Tensor dense = x.toDense(1_000_000)) {
                assertEquals(Shape.of(1000, 1000), dense.shape(), "toDense at exactly the limit");
            }
        }
    }

    @Test
    @ConformanceRule("10.6")
    default void sparseArraysReportSharingTruthfully() {
        var mutable = fixtures().mutable(DType.FLOAT32, Shape.of(3), 1, 2, 3);
        try (Tensor plain = mutable.isPresent() ? null : fixtures().floats(1, 2, 3);
                Tensor indices = fixtures().tensor(DType.INT64, Shape.of(3, 1), 0, 2, 4)) {
            Tensor values = mutable.map(MutableTensor::tensor).orElse(plain);
            try (SparseTensor x = backend().sparseCoo(indices, values, Shape.of(5))) {
                for (CopyPolicy policy : CopyPolicy.values()) {
                    for (Access access : Access.values()) {
                        SparseValue value;
                        try {
                            value = x.toSparseValue(policy, access);
                        } catch (CopyRequiredException refused) {
                            continue;
                        }
                        try (value) {
                            HostArray v = value.values();
                            String label = policy + " + " + access + ": values reported " + v.sharing();
                            assertEquals(v.sharing() == Sharing.SHARED ? 0 : v.byteSize(), v.bytesCopied(),
                                    label + " with bytesCopied " + v.bytesCopied());
                            if (mutable.isPresent()) {
                                double before = v.getAsDouble(1);
                                mutable.get().set(1, before + 100);
                                boolean seen = v.getAsDouble(1) == before + 100;
                                assertEquals(v.sharing() == Sharing.SHARED, seen, label + " but a change to the "
                                        + "values' memory (" + mutable.get().how() + ") " + (seen ? "showed" : "did not "
                                        + "show") + " in it");
                            }
                            assertEquals(access == Access.READ_ONLY, v.isReadOnly() && value.indices().isReadOnly(),
                                    policy + " + " + access + ": read-only flags of the sparse arrays");
                        }
                    }
                }
            }
        } finally {
            mutable.ifPresent(MutableTensor::close);
        }
    }

    @Test
    @ConformanceRule("10.7")
    default void csrAgreesWithCoo() {
        long[] indptr = {0, 2, 2, 5};
        long[] columns = {1, 3, 0, 2, 3};
        float[] values = {1, 2, 3, 4, 5};
        try (SparseTensor fromCsr = backend().sparseCsr(indptr, columns, values, 3, 4);
                SparseValue value = fromCsr.toSparseValue();
                CsrValue csr = value.toCsr()) {
            assertArrayEquals(new long[] {0, 1, 0, 3, 2, 0, 2, 2, 2, 3}, value.indices().toLongArray(),
                    "COO indices of a CSR input");
            assertArrayEquals(indptr, csr.indptr().toLongArray(), "indptr round trip");
            assertArrayEquals(columns, csr.indices().toLongArray(), "columns round trip");
            assertArrayEquals(values, csr.values().toFloatArray(), "values round trip");
            assertTrue(csr.isCanonical(), "a sorted CSR input reported not canonical");
        }
        Coo unsorted = new Coo(new long[][] {{2, 0}, {0, 1}, {2, 3}, {0, 0}}, new double[] {1, 2, 3, 4}, Shape.of(3, 4));
        try (SparseTensor x = sparse(unsorted, DType.FLOAT32);
                SparseValue value = x.toSparseValue();
                CsrValue csr = value.toCsr()) {
            assertArrayEquals(new long[] {0, 2, 2, 4}, csr.indptr().toLongArray(), "indptr of unsorted COO");
            assertArrayEquals(new long[] {1, 0, 0, 3}, csr.indices().toLongArray(),
                    "CSR columns keep each row's COO order");
            assertArrayEquals(new float[] {2, 4, 1, 3}, csr.values().toFloatArray(), "CSR values follow their columns");
        }
        try (SparseTensor cube = sparse(new Coo(new long[][] {{0, 0, 0}}, new double[] {1}, Shape.of(2, 2, 2)),
                DType.FLOAT32); SparseValue value = cube.toSparseValue()) {
            assertThrows(ShapeMismatchException.class, () -> value.toCsr().close(), "CSR of a rank-3 value");
        }
    }

    @Test
    @ConformanceRule("10.8")
    default void operationsNeverAllocateTheDenseSize() {
        long size = 1_000_000;
        Shape huge = Shape.of(size, size);
        Coo coo = new Coo(new long[][] {{size - 1, 0}, {3, 5}, {3, 5}, {0, size - 1}}, new double[] {1, 2, 3, 4}, huge);
        Function<SparseTensor, double[]> values = t -> {
            try (SparseValue v = t.toSparseValue()) {
                return v.values().convertToDoubleArray();
            }
        };
        try (SparseTensor x = sparse(coo, DType.FLOAT32);
                SparseTensor coalesced = x.coalesce();
                SparseTensor sum = x.add(x);
                SparseTensor transposed = x.transpose();
                SparseTensor scaled = x.multiply(2);
                Tensor columnSums = x.sum(0);
                Tensor ones = backend().ones(DType.FLOAT32, Shape.of(size, 1));
                Tensor product = x.matmul(ones)) {
            assertArrayEquals(new double[] {4, 5, 1}, values.apply(coalesced), "coalesce on a 10^12-element shape");
            assertArrayEquals(new double[] {8, 10, 2}, values.apply(sum), "add on a 10^12-element shape");
            assertEquals(4, transposed.nnz(), "transpose on a 10^12-element shape");
            assertArrayEquals(new double[] {2, 4, 6, 8}, values.apply(scaled), "multiply on a 10^12-element shape");
            assertEquals(Shape.of(size), columnSums.shape(), "sum(0) on a 10^12-element shape");
            assertEquals(Shape.of(size, 1), product.shape(), "matmul on a 10^12-element shape");
            try (HostArray p = product.toHost()) {
                assertEquals(5.0, p.getAsDouble(3, 0), "matmul row 3: the duplicate [3, 5] must add 2 + 3");
            }
        }
    }
}
