package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;

/**
 * Rules 4.4, 4.5, 6.6 and 10.9: the edges where a tolerance would hide a real difference — casts of NaN,
 * infinities and out-of-range values, half-precision rounding (ties, subnormals, overflow), integer
 * overflow, and the canonical flag of every sparse result. All exact.
 */
public interface EdgeRules extends KitContext {

    @Test
    @ConformanceRule("4.4")
    default void castsAtTheEdgesAreJavasConversions() {
        for (DType from : declared().dtypesOf(Operations.CAST)) {
            for (DType to : declared().supportedDTypes()) {
                String what = "cast " + from.displayName() + " -> " + to.displayName();
                if (from.isFloatingPoint()) {
                    double[] inputs = edgeFloats(from);
                    double[] results = castFloats(from, to, inputs);
                    for (int i = 0; i < inputs.length; i++) {
                        double v = inputs[i];
                        double expected = to == DType.BOOL ? (v != 0 ? 1 : 0) : to == DType.INT64 ? (long) v
                                : to.isInteger() ? KitNumbers.wrap(to, (int) v) : KitNumbers.round(to, v);
                        check(what + " of " + v, expected, results[i], to);
                    }
                } else {
                    long[] inputs = KitNumbers.integerSpecials(from == DType.BOOL ? DType.UINT8 : from);
                    if (from == DType.BOOL) {
                        inputs = new long[] {0, 1};
                    }
                    double[] results = castIntegers(from, to, inputs);
                    for (int i = 0; i < inputs.length; i++) {
                        long v = inputs[i];
                        double expected = to == DType.FLOAT32 ? (float) v : to.isFloatingPoint()
                                ? KitNumbers.round(to, (double) v) : KitNumbers.wrap(to, v);
                        check(what + " of " + v, expected, results[i], to);
                    }
                }
            }
        }
    }

    private double[] castFloats(DType from, DType to, double[] inputs) {
        try (Tensor x = fixtures().tensor(from, Shape.of(inputs.length), inputs); Tensor y = x.cast(to)) {
            return read(y);
        }
    }

    private double[] castIntegers(DType from, DType to, long[] inputs) {
        try (Tensor x = KitNumbers.integers(backend(), from, Shape.of(inputs.length), inputs); Tensor y = x.cast(to)) {
            return read(y);
        }
    }

    /** The elements, exactly: integers as longs converted to double only for comparison of small values. */
    private static double[] read(Tensor tensor) {
        if (tensor.dtype().isFloatingPoint()) {
            try (HostArray copy = tensor.toHost(CopyPolicy.ALWAYS)) {
                return copy.convertToDoubleArray();
            }
        }
        return Arrays.stream(KitNumbers.integers(tensor)).mapToDouble(v -> v).toArray();
    }

    private static void check(String what, double expected, double actual, DType dtype) {
        boolean same = dtype.isFloatingPoint() ? KitNumbers.same(expected, actual) : expected == actual;
        if (!same) {
            fail(what + " is " + actual + ", expected " + expected);
        }
    }

    /** Values that test a cast from {@code dtype}: specials, fractions either side of 0, and out-of-range magnitudes. */
    private static double[] edgeFloats(DType dtype) {
        double[] extra = {0.5, -0.5, 1.5, -1.5, 2.5, 127.75, -128.5, 255.5, 300.25, -129.75, 40000.5, 3e9, -3e9, 1e20,
            -1e20, 65504};
        double[] specials = KitNumbers.floatSpecials(dtype);
        double[] out = Arrays.copyOf(specials, specials.length + extra.length);
        for (int i = 0; i < extra.length; i++) {
            double v = KitNumbers.round(dtype, extra[i]);
            out[specials.length + i] = v;
        }
        return out;
    }

    @Test
    @ConformanceRule("4.5")
    default void halfPrecisionArithmeticRoundsOnceToNearestEven() {
        List<Operation> arithmetic = List.of(Operations.ADD, Operations.SUBTRACT, Operations.MULTIPLY, Operations.DIVIDE);
        boolean any = false;
        for (DType dtype : List.of(DType.FLOAT16, DType.BFLOAT16)) {
            for (Operation op : arithmetic) {
                if (!declared().supports(op, dtype)) {
                    continue;
                }
                any = true;
                double[] values = halfEdgeValues(dtype, fixtures().random("4.5"));
                double[][] pairs = KitNumbers.pairs(values);
                double[] a = pairs[0];
                double[] b = pairs[1];
                int n = a.length;
                try (Tensor x = fixtures().tensor(dtype, Shape.of(n), a); Tensor y = fixtures().tensor(dtype, Shape.of(n), b);
                        Tensor z = x.apply(op, Attributes.NONE, y)) {
                    double[] actual = fixtures().values(z);
                    for (int i = 0; i < n; i++) {
                        double exact = op == Operations.ADD ? a[i] + b[i] : op == Operations.SUBTRACT ? a[i] - b[i]
                                : op == Operations.MULTIPLY ? a[i] * b[i] : a[i] / b[i];
                        check(op + " " + dtype.displayName() + " of " + a[i] + " and " + b[i]
                                + " (rounded once, to nearest even)", KitNumbers.round(dtype, exact), actual[i], dtype);
                    }
                }
            }
        }
        assumeTrue(any, "not applicable: the backend runs no arithmetic on float16 or bfloat16");
    }

    /** Values whose sums, differences, products and quotients hit ties, subnormals and overflow in {@code dtype}. */
    private static double[] halfEdgeValues(DType dtype, Random random) {
        int mantissa = dtype == DType.FLOAT16 ? 10 : 7;
        double largest = dtype == DType.FLOAT16 ? 65504 : 3.3895313892515355e38;
        double smallestNormal = dtype == DType.FLOAT16 ? 0x1p-14 : 0x1p-126;
        double[] fixed = {Double.NaN, Double.POSITIVE_INFINITY, -0.0, 0, 1, -1, 3, 0.75, Math.scalb(1.0, mantissa + 1),
            Math.scalb(1.0, -mantissa), 1 + Math.scalb(1.0, -mantissa), 1.5 + Math.scalb(1.0, -mantissa), largest, -largest,
            largest / 2, smallestNormal, smallestNormal * 1.5, Math.scalb(smallestNormal, -mantissa), 0.5 * 3};
        double[] out = Arrays.copyOf(fixed, fixed.length + 6);
        for (int i = 0; i < 6; i++) {
            // A full mantissa: random bits between 1 and 2, scaled, so the results need rounding.
            double value = 1 + Math.scalb((double) random.nextInt(1 << mantissa), -mantissa);
            out[fixed.length + i] = KitNumbers.round(dtype, Math.scalb(value, random.nextInt(9) - 4));
        }
        return out;
    }

    @Test
    @ConformanceRule("6.6")
    default void integerArithmeticWrapsOnOverflow() {
        boolean any = false;
        for (Operation op : List.of(Operations.ADD, Operations.SUBTRACT, Operations.MULTIPLY, Operations.DIVIDE)) {
            for (DType dtype : declared().dtypesOf(op)) {
                if (!dtype.isInteger()) {
                    continue;
                }
                any = true;
                long[] values = KitNumbers.integerSpecials(dtype);
                long[][] pairs = KitNumbers.pairs(values);
                long[] a = pairs[0];
                long[] b = pairs[1];
                int n = a.length;
                for (int i = 0; i < n; i++) {
                    if (op == Operations.DIVIDE && b[i] == 0) {
                        b[i] = dtype == DType.UINT8 ? 3 : -1; // every dividend by -1 too: MIN / -1 wraps to MIN
                    }
                }
                try (Tensor x = KitNumbers.integers(backend(), dtype, Shape.of(n), a);
                        Tensor y = KitNumbers.integers(backend(), dtype, Shape.of(n), b);
                        Tensor z = x.apply(op, Attributes.NONE, y)) {
                    long[] actual = KitNumbers.integers(z);
                    for (int i = 0; i < n; i++) {
                        long exact = op == Operations.ADD ? a[i] + b[i] : op == Operations.SUBTRACT ? a[i] - b[i]
                                : op == Operations.MULTIPLY ? a[i] * b[i] : a[i] / b[i];
                        assertEquals(KitNumbers.wrap(dtype, exact), actual[i], op + " " + dtype.displayName() + " of "
                                + a[i] + " and " + b[i] + " (integers wrap; division truncates toward zero)");
                    }
                }
            }
        }
        for (DType dtype : declared().dtypesOf(Operations.MATMUL)) {
            if (dtype.isInteger()) {
                any = true;
                long[] specials = KitNumbers.integerSpecials(dtype);
                long max = specials[dtype == DType.UINT8 ? specials.length - 1 : 8];
                try (Tensor x = KitNumbers.integers(backend(), dtype, Shape.of(1, 2), new long[] {max, 1});
                        Tensor y = KitNumbers.integers(backend(), dtype, Shape.of(2, 1), new long[] {2, 3});
                        Tensor z = x.matmul(y)) {
                    assertEquals(KitNumbers.wrap(dtype, 2 * max + 3), KitNumbers.integers(z)[0],
                            "matmul " + dtype.displayName() + " [[" + max + ", 1]] x [[2], [3]] must wrap");
                }
            }
        }
        assumeTrue(any, "not applicable: the backend runs no integer arithmetic");
    }

    @Test
    @ConformanceRule("10.9")
    default void everySparseResultIsCanonicalExactlyWhenItsIndicesAre() {
        assumeTrue(declared().supports(DType.INT64) && declared().supports(DType.FLOAT32),
                "not applicable: sparse tensors need int64 indices and the kit's values are float32");
        try (Tensor indices = fixtures().tensor(DType.INT64, Shape.of(4, 2), 1, 2, 0, 1, 1, 2, 0, 0);
                Tensor values = fixtures().tensor(DType.FLOAT32, Shape.of(4), 1, 2, 3, 4);
                Tensor dense = fixtures().tensor(DType.FLOAT32, Shape.of(2, 3), 0, 5, 0, 6, 0, 7);
                SparseTensor unsorted = backend().sparseCoo(indices, values, Shape.of(2, 3))) {
            checkCanonicalFlag("sparseCoo of unsorted indices with a duplicate", unsorted);
            for (Operation op : List.of(Operations.COALESCE, Operations.SPARSE_TRANSPOSE, Operations.SPARSE_ADD,
                    Operations.SPARSE_MULTIPLY, Operations.TO_SPARSE)) {
                if (!declared().supports(op, DType.FLOAT32)) {
                    continue;
                }
                try (SparseTensor result = switch (op.name()) {
                    case "coalesce" -> unsorted.coalesce();
                    case "sparse_transpose" -> unsorted.transpose();
                    case "sparse_add" -> unsorted.add(unsorted);
                    case "sparse_multiply" -> unsorted.multiply(2);
                    default -> backend().toSparse(dense);
                }) {
                    checkCanonicalFlag(op.name(), result);
                }
            }
        }
    }

    private static void checkCanonicalFlag(String what, SparseTensor tensor) {
        try (SparseValue value = tensor.toSparseValue(CopyPolicy.ALWAYS)) {
            long[] indices = value.indices().toLongArray();
            int rank = tensor.denseShape().rank();
            long[] strides = tensor.denseShape().contiguousStrides();
            boolean sorted = true;
            long previous = -1;
            for (int i = 0; i < tensor.nnz(); i++) {
                long key = 0;
                for (int axis = 0; axis < rank; axis++) {
                    key += indices[i * rank + axis] * strides[axis];
                }
                sorted &= key > previous;
                previous = key;
            }
            assertEquals(sorted, tensor.isCanonical(), what + ": isCanonical() is " + tensor.isCanonical()
                    + " but the indices " + Arrays.toString(indices) + (sorted ? " are" : " are not")
                    + " sorted without duplicates");
            assertEquals(sorted, value.isCanonical(), what + ": the sparse value's flag");
        }
    }
}
