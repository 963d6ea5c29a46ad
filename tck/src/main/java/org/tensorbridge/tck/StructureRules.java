package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;

/**
 * Rules 12.4 and 12.5: transposes and reductions over axes, against index arithmetic of the kit's own.
 * Transposes and integer reductions are exact; floating sums and means are held to the error bound of
 * any summation order in the dtype's precision.
 */
public interface StructureRules extends KitContext {

    private static Shape randomShape(Random random, int maxRank) {
        long[] dims = new long[random.nextInt(maxRank + 1)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = 1 + random.nextInt(3);
        }
        return Shape.of(dims);
    }

    /** The element of {@code shape} at multi-index {@code index}, row-major. */
    private static int flat(Shape shape, long[] index) {
        long at = 0;
        for (int axis = 0; axis < index.length; axis++) {
            at = at * shape.dim(axis) + index[axis];
        }
        return (int) at;
    }

    @Test
    @ConformanceRule("12.4")
    default void transposeReordersAxesLikeNumpy() {
        assumeTrue(declared().supports(Operations.TRANSPOSE), "not applicable: the backend has no kernel for transpose");
        Random random = fixtures().random("12.4");
        for (DType dtype : declared().dtypesOf(Operations.TRANSPOSE)) {
            for (int trial = 0; trial < 6; trial++) {
                Shape shape = randomShape(random, 5);
                int rank = shape.rank();
                int[] order = new int[rank];
                for (int i = 0; i < rank; i++) {
                    order[i] = i;
                }
                for (int i = rank - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                boolean reversed = trial == 0;
                int[] given = order.clone();
                if (trial == 1) {
                    for (int i = 0; i < rank; i++) {
                        given[i] -= rank; // negative axes count from the end
                    }
                }
                if (reversed) {
                    for (int i = 0; i < rank; i++) {
                        order[i] = rank - 1 - i;
                    }
                }
                long[] dims = new long[rank];
                for (int i = 0; i < rank; i++) {
                    dims[i] = shape.dim(order[i]);
                }
                Shape out = Shape.of(dims);
                long[] values = new long[(int) shape.elementCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = dtype == DType.BOOL ? (i * 7 / 3) % 2 : KitNumbers.wrap(dtype, i + 1);
                }
                String what = "transpose " + dtype.displayName() + shape + " by " + (reversed ? "default"
                        : Arrays.toString(given)) + " (seed " + fixtures().seed() + ")";
                try (Tensor x = dtype.isFloatingPoint() ? fixtures().tensor(dtype, shape, doubles(values))
                        : KitNumbers.integers(backend(), dtype, shape, values);
                        Tensor y = reversed ? x.transpose() : x.transpose(given)) {
                    assertEquals(out, y.shape(), what + ": shape");
                    long[] actual = dtype.isFloatingPoint() ? longs(fixtures().values(y)) : KitNumbers.integers(y);
                    for (int i = 0; i < actual.length; i++) {
                        long[] outIndex = Elements.index(out, i);
                        long[] inIndex = new long[rank];
                        for (int axis = 0; axis < rank; axis++) {
                            inIndex[order[axis]] = outIndex[axis];
                        }
                        assertEquals(values[flat(shape, inIndex)], actual[i], what + ": element " + Arrays.toString(
                                outIndex) + " must be input element " + Arrays.toString(inIndex));
                    }
                }
            }
        }
        try (Tensor x = fixtures().tensor(DType.FLOAT32, Shape.of(2, 3), 1, 2, 3, 4, 5, 6)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.transpose(0, 0).close(),
                    "transpose(0, 0) names an axis twice");
            assertTrue(e.getMessage().contains("permutation"), "the refusal must name the permutation: " + e);
        }
    }

    @Test
    @ConformanceRule("12.5")
    default void reductionsOverAxesMatchTheReference() {
        List<Operation> reductions = List.of(Operations.SUM, Operations.MEAN, Operations.MAX, Operations.MIN);
        assumeTrue(reductions.stream().anyMatch(op -> declared().supports(op)),
                "not applicable: the backend has no kernel for " + reductions);
        Random random = fixtures().random("12.5");
        for (Operation op : reductions) {
            for (DType dtype : declared().dtypesOf(op)) {
                for (int trial = 0; trial < 6; trial++) {
                    Shape shape = randomShape(random, 4);
                    int rank = shape.rank();
                    boolean[] reduced = new boolean[rank];
                    int[] axes = trial == 0 ? new int[0] : java.util.stream.IntStream.range(0, rank)
                            .filter(axis -> random.nextBoolean()).map(axis -> random.nextBoolean() ? axis : axis - rank)
                            .toArray();
                    for (int axis : axes) {
                        reduced[axis < 0 ? axis + rank : axis] = true;
                    }
                    if (axes.length == 0) {
                        Arrays.fill(reduced, true);
                    }
                    boolean keep = random.nextBoolean();
                    checkReduction(op, dtype, shape, axes, reduced, keep, random);
                }
            }
        }
        for (DType dtype : declared().dtypesOf(Operations.SUM)) {
            if (dtype.isInteger()) {
                long[] specials = KitNumbers.integerSpecials(dtype);
                long max = specials[dtype == DType.UINT8 ? specials.length - 1 : 8];
                long[] values = {max, max, 2};
                try (Tensor x = KitNumbers.integers(backend(), dtype, Shape.of(3), values); Tensor sum = x.sum()) {
                    assertEquals(KitNumbers.wrap(dtype, 2 * max + 2), KitNumbers.integers(sum)[0], "sum "
                            + dtype.displayName() + " of " + Arrays.toString(values) + " must wrap, not saturate");
                }
            }
        }
        if (declared().supports(Operations.MAX, DType.FLOAT32)) {
            try (Tensor empty = fixtures().tensor(DType.FLOAT32, Shape.of(2, 0))) {
                ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> empty.max(1).close(),
                        "max over an empty axis has no value");
                assertTrue(e.getMessage().contains("empty"), "the refusal must say the axis is empty: " + e);
            }
        }
        if (declared().supports(Operations.SUM, DType.FLOAT32)) {
            try (Tensor empty = fixtures().tensor(DType.FLOAT32, Shape.of(2, 0)); Tensor sum = empty.sum(1)) {
                assertArrayEquals(new double[] {0, 0}, fixtures().values(sum), "a sum over an empty axis is 0");
            }
        }
    }

    private void checkReduction(Operation op, DType dtype, Shape shape, int[] axes, boolean[] reduced, boolean keep,
            Random random) {
        int rank = shape.rank();
        long[] kept = new long[rank];
        int outRank = 0;
        for (int axis = 0; axis < rank; axis++) {
            if (!reduced[axis] || keep) {
                kept[outRank++] = reduced[axis] ? 1 : shape.dim(axis);
            }
        }
        Shape out = Shape.of(Arrays.copyOf(kept, outRank));
        int n = (int) shape.elementCount();
        int outputs = (int) out.elementCount();
        String what = op + " " + dtype.displayName() + shape + " over " + Arrays.toString(axes) + (keep ? " keepDims" : "")
                + " (seed " + fixtures().seed() + ")";
        if (dtype.isInteger()) {
            long[] values = KitNumbers.randomIntegers(random, dtype, n);
            long[] expected = new long[outputs];
            Arrays.fill(expected, op == Operations.MAX ? Long.MIN_VALUE : op == Operations.MIN ? Long.MAX_VALUE : 0);
            for (int i = 0; i < n; i++) {
                int o = outputIndex(shape, reduced, i);
                expected[o] = op == Operations.MAX ? Math.max(expected[o], values[i])
                        : op == Operations.MIN ? Math.min(expected[o], values[i]) : expected[o] + values[i];
            }
            try (Tensor x = KitNumbers.integers(backend(), dtype, shape, values); Tensor y = reduce(op, x, axes, keep)) {
                assertEquals(out, y.shape(), what + ": shape");
                long[] actual = KitNumbers.integers(y);
                for (int o = 0; o < outputs; o++) {
                    assertEquals(KitNumbers.wrap(dtype, expected[o]), actual[o], what + ": output " + o
                            + " (integer sums wrap)");
                }
            }
            return;
        }
        double[] values = KitNumbers.randomFloats(random, dtype, n);
        for (int i = 0; i < n; i++) {
            if (op != Operations.MAX && op != Operations.MIN && Double.isInfinite(values[i])) {
                values[i] = 1; // sums of opposite infinities are NaN either way; keep the bound meaningful
            }
            if (Math.abs(values[i]) > 1e4 && !Double.isInfinite(values[i])) {
                values[i] = -2.5;
            }
        }
        double[] expected = new double[outputs];
        double[] magnitude = new double[outputs];
        Arrays.fill(expected, op == Operations.MAX ? Double.NEGATIVE_INFINITY : op == Operations.MIN
                ? Double.POSITIVE_INFINITY : 0);
        for (int i = 0; i < n; i++) {
            int o = outputIndex(shape, reduced, i);
            expected[o] = op == Operations.MAX ? Math.max(expected[o], values[i])
                    : op == Operations.MIN ? Math.min(expected[o], values[i]) : expected[o] + values[i];
            magnitude[o] += Math.abs(values[i]);
        }
        int count = outputs == 0 ? 0 : n / outputs;
        try (Tensor x = fixtures().tensor(dtype, shape, values); Tensor y = reduce(op, x, axes, keep)) {
            assertEquals(out, y.shape(), what + ": shape");
            double[] actual = fixtures().values(y);
            for (int o = 0; o < outputs; o++) {
                double e = op == Operations.MEAN ? expected[o] / count : expected[o];
                if (op == Operations.MAX || op == Operations.MIN) {
                    if (!KitNumbers.same(e, actual[o])) {
                        fail(what + ": output " + o + " is " + actual[o] + ", expected " + e + " (NaN wins)");
                    }
                } else {
                    // Any summation order in the dtype's precision stays within (n + 1) roundings of the magnitudes.
                    double bound = (count + 1) * KitNumbers.epsilon(dtype) * magnitude[o] / (op == Operations.MEAN
                            ? count : 1) + KitNumbers.ulp(dtype, e);
                    if (Double.isNaN(e) ? !Double.isNaN(actual[o]) : !(Math.abs(e - actual[o]) <= bound)) {
                        fail(what + ": output " + o + " is " + actual[o] + ", expected " + e + " within " + bound);
                    }
                }
            }
        }
    }

    private static Tensor reduce(Operation op, Tensor x, int[] axes, boolean keep) {
        return op == Operations.SUM ? x.sum(axes, keep) : op == Operations.MEAN ? x.mean(axes, keep)
                : op == Operations.MAX ? x.max(axes, keep) : x.min(axes, keep);
    }

    /** The output element input element {@code flat} reduces into: its index with reduced axes dropped. */
    private static int outputIndex(Shape shape, boolean[] reduced, int flat) {
        long[] index = Elements.index(shape, flat);
        long at = 0;
        for (int axis = 0; axis < index.length; axis++) {
            if (!reduced[axis]) {
                at = at * shape.dim(axis) + index[axis];
            }
        }
        return (int) at;
    }

    private static double[] doubles(long[] values) {
        return Arrays.stream(values).asDoubleStream().toArray();
    }

    private static long[] longs(double[] values) {
        return Arrays.stream(values).mapToLong(v -> (long) v).toArray();
    }
}
