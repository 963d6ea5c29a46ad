package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.backend.gpu.ReferenceComparison.Input;
import org.tensorbridge.backend.gpu.ReferenceComparison.Tolerance;
import org.tensorbridge.backend.reference.ReferenceBackend;
import org.tensorbridge.memory.ElementAccess;
import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.op.ValueKind;

/**
 * Every dense operation of {@link Operations#all()} on the GPU against the reference backend, on random
 * inputs of every dtype the GPU runs it on: broadcasting, rank 0, empty shapes, NaN, ±infinity, -0,
 * integer MIN and -1, overflow, every pair of special values, and refusals (an integer divisor holding 0,
 * a negative integer exponent, max over an empty axis) with the reference's exception and message.
 *
 * <p>Results are compared bit for bit ({@link Bits}: every NaN one value), except:
 * <ul>
 *   <li>exp, log, tanh and pow on float32 and float64: within 3, 3, 5 and 16 units in the last place,
 *       OpenCL 1.2's accuracy of {@code exp}, {@code log}, {@code tanh} and {@code pow}; on float16 and
 *       bfloat16, computed in float and rounded once, within 1;</li>
 *   <li>floating matmul: the GPU accumulates in the dtype's compute type, the reference in double; the
 *       difference is within {@code 2 (k + 2) eps} times the sum of the products' magnitudes;</li>
 *   <li>floating sums and means on a device without double precision (accumulated in float there).</li>
 * </ul>
 * Sparse operations are compared in {@link GpuSparseOperationsTest}. Skipped without OpenCL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpuOperationsTest {
    /** Allowed ulps of float32 and float64 results, per operation; every other operation is exact. */
    private static final Map<Operation, Integer> ULPS = Map.of(Operations.EXP, 3, Operations.LOG, 3,
            Operations.TANH, 5, Operations.POW, 16);

    private GpuBackend gpu;
    private final ReferenceBackend reference = new ReferenceBackend();
    private final RandomInputs inputs = new RandomInputs(new Random(20261206L));
    private ReferenceComparison comparison;

    /** The backend under test; null without OpenCL. */
    GpuBackend openBackend() {
        return OpenCl.backendOrNull();
    }

    @BeforeAll
    void open() {
        gpu = openBackend();
        if (gpu != null) {
            comparison = new ReferenceComparison(gpu, reference);
        }
    }

    @AfterAll
    void close() {
        assertEquals(0, reference.ledger().liveBlocks(), reference.ledger().toString());
        if (gpu != null) {
            assertEquals(0, gpu.ledger().liveBlocks(), "a test left memory open: " + gpu.ledger());
            assertEquals(0, gpu.liveDeviceBuffers(), "device buffers left");
            gpu.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyDenseOperationMatchesTheReference() {
        OpenCl.assumeAvailable();
        return Operations.all().stream().filter(GpuOperationsTest::dense)
                .map(operation -> DynamicTest.dynamicTest(operation.name(), () -> check(operation)));
    }

    static boolean dense(Operation operation) {
        return operation.output() == ValueKind.DENSE && !operation.inputKinds().contains(ValueKind.SPARSE);
    }

    private void check(Operation operation) {
        Set<DType> dtypes = gpu.capabilities().dtypesOf(operation);
        assertFalse(dtypes.isEmpty(), "the GPU runs no dtype of " + operation);
        long before = comparison.comparisons();
        for (DType dtype : dtypes) {
            if (operation.isElementwise() && operation.arity() == 1) {
                unary(operation, dtype);
            } else if (operation.isElementwise()) {
                binary(operation, dtype);
            } else if (operation.isReduction()) {
                reduction(operation, dtype);
            } else if (operation == Operations.MATMUL) {
                matmul(dtype);
            } else if (operation == Operations.CAST) {
                cast(dtype);
            } else if (operation == Operations.TRANSPOSE) {
                transpose(dtype);
            } else if (operation == Operations.RESHAPE) {
                reshape(dtype);
            } else {
                throw new AssertionError("no case compares " + operation + " yet; add one here");
            }
        }
        assertTrue(comparison.comparisons() > before, operation + ": nothing was compared");
    }

    private Input input(DType dtype, Shape shape) {
        return new Input(dtype, shape, inputs.values(dtype, shape.elementCount()));
    }

    private static Tolerance tolerance(Operation operation, DType dtype) {
        Integer ulps = ULPS.get(operation);
        if (ulps == null || !dtype.isFloatingPoint()) {
            return Tolerance.EXACT;
        }
        return Tolerance.ulps(dtype == DType.FLOAT16 || dtype == DType.BFLOAT16 ? 1 : ulps);
    }

    // ---- elementwise ----

    private void unary(Operation operation, DType dtype) {
        Tolerance tolerance = tolerance(operation, dtype);
        for (int trial = 0; trial < 6; trial++) {
            comparison.check(operation, Attributes.NONE, tolerance, "trial " + trial, input(dtype, inputs.shape(4)));
        }
        ByteBuffer specials = RandomInputs.specials(dtype);
        comparison.check(operation, Attributes.NONE, tolerance, "special values",
                new Input(dtype, Shape.of(specials.capacity() / dtype.byteWidth()), specials));
        comparison.check(operation, Attributes.NONE, tolerance, "large", input(dtype, Shape.of(3, 1001)));
    }

    private void binary(Operation operation, DType dtype) {
        Tolerance tolerance = tolerance(operation, dtype);
        LongPredicate allowed = divisorOrExponent(operation, dtype);
        for (int trial = 0; trial < 10; trial++) {
            Shape left = inputs.shape(4);
            Shape right = inputs.partner(left);
            if (inputs.random().nextBoolean()) {
                Shape swap = left;
                left = right;
                right = swap;
            }
            Input b = input(dtype, right);
            if (allowed != null && trial % 3 != 0) {
                b = replace(b, allowed); // mostly computed; every third trial may be refused, as the reference refuses
            }
            comparison.check(operation, Attributes.NONE, tolerance, "trial " + trial, input(dtype, left), b);
        }
        // Every pair of special values: [s, 1] against [1, s].
        ByteBuffer specials = RandomInputs.specials(dtype);
        long s = specials.capacity() / dtype.byteWidth();
        Input b = new Input(dtype, Shape.of(1, s), specials);
        comparison.check(operation, Attributes.NONE, tolerance, "special pairs",
                new Input(dtype, Shape.of(s, 1), specials), allowed == null ? b : replace(b, allowed));
        Input large = input(dtype, Shape.of(33));
        comparison.check(operation, Attributes.NONE, tolerance, "large, broadcast", input(dtype, Shape.of(64, 33)),
                allowed == null ? large : replace(large, allowed));
    }

    /** What an integer divisor or exponent must be for a call to compute: not 0, or not negative. */
    private static LongPredicate divisorOrExponent(Operation operation, DType dtype) {
        if (!dtype.isInteger()) {
            return null;
        }
        if (operation == Operations.DIVIDE) {
            return v -> v != 0;
        }
        return operation == Operations.POW ? v -> v >= 0 : null;
    }

    /** {@code input} with every element that {@code allowed} refuses replaced by 7. */
    private static Input replace(Input input, LongPredicate allowed) {
        ByteBuffer data = RandomInputs.allocate(input.dtype(), input.shape().elementCount());
        for (int i = 0; i < input.shape().elementCount(); i++) {
            long v = ElementAccess.readLong(input.data(), input.dtype(), i);
            ElementAccess.writeLong(data, input.dtype(), i, allowed.test(v) ? v : 7);
        }
        return new Input(input.dtype(), input.shape(), data);
    }

    // ---- structure ----

    private void matmul(DType dtype) {
        int[][] sizes = {{1, 1, 1}, {2, 3, 4}, {5, 7, 3}, {0, 3, 2}, {3, 0, 2}, {4, 2, 0}, {37, 53, 29}, {1, 100, 1}};
        for (int[] size : sizes) {
            Shape a = Shape.of(size[0], size[1]);
            Shape b = Shape.of(size[1], size[2]);
            if (dtype.isInteger()) {
                comparison.check(Operations.MATMUL, Attributes.NONE, Tolerance.EXACT, "", input(dtype, a),
                        input(dtype, b));
                continue;
            }
            Input x = new Input(dtype, a, inputs.small(dtype, a.elementCount(), false));
            Input y = new Input(dtype, b, inputs.small(dtype, b.elementCount(), false));
            comparison.check(Operations.MATMUL, Attributes.NONE, productTolerance(x, y), "", x, y);
        }
    }

    /** Within {@code 2 (k + 2) eps} times the sum of the magnitudes of the products of each result element. */
    private static Tolerance productTolerance(Input x, Input y) {
        long m = x.shape().dim(0);
        long k = x.shape().dim(1);
        long n = y.shape().dim(1);
        double eps = switch (x.dtype()) {
            case FLOAT16 -> 0x1p-10;
            case BFLOAT16 -> 0x1p-7;
            case FLOAT32 -> 0x1p-23;
            default -> 0x1p-52;
        };
        return (dtype, i, want, got) -> {
            double magnitude = 0;
            for (long p = 0; p < k; p++) {
                magnitude += Math.abs(ElementAccess.readDouble(x.data(), dtype, i / n * k + p)
                        * ElementAccess.readDouble(y.data(), dtype, p * n + i % n));
            }
            double difference = Math.abs(value(dtype, want) - value(dtype, got));
            return i < m * n && difference <= 2 * (k + 2) * eps * magnitude;
        };
    }

    private static double value(DType dtype, long bits) {
        ByteBuffer one = RandomInputs.allocate(dtype, 1);
        ElementAccess.writeLong(one, dtype.byteWidth() == 8 ? DType.INT64 : dtype.byteWidth() == 4 ? DType.INT32
                : DType.INT16, 0, bits);
        return ElementAccess.readDouble(one, dtype, 0);
    }

    private void cast(DType from) {
        for (DType to : gpu.capabilities().supportedDTypes()) {
            Attributes target = Attributes.of(Attribute.DTYPE, to);
            ByteBuffer specials = RandomInputs.specials(from);
            comparison.check(Operations.CAST, target, Tolerance.EXACT, "special values",
                    new Input(from, Shape.of(specials.capacity() / from.byteWidth()), specials));
            comparison.check(Operations.CAST, target, Tolerance.EXACT, "random", input(from, Shape.of(200)));
        }
    }

    private void transpose(DType dtype) {
        Random random = inputs.random();
        for (int trial = 0; trial < 12; trial++) {
            Shape shape = trial == 0 ? Shape.scalar() : inputs.shape(5);
            int rank = shape.rank();
            Attributes attributes = Attributes.NONE;
            if (trial % 4 != 1) {
                List<Integer> order = new ArrayList<>();
                for (int axis = 0; axis < rank; axis++) {
                    order.add(axis);
                }
                Collections.shuffle(order, random);
                int[] permutation = order.stream().mapToInt(axis -> random.nextInt(3) == 0 ? axis - rank : axis)
                        .toArray();
                attributes = Attributes.of(Attribute.PERMUTATION, permutation);
            }
            comparison.check(Operations.TRANSPOSE, attributes, Tolerance.EXACT, "trial " + trial, input(dtype, shape));
        }
        comparison.check(Operations.TRANSPOSE, Attributes.of(Attribute.PERMUTATION, new int[] {2, 0, 1}),
                Tolerance.EXACT, "large", input(dtype, Shape.of(17, 33, 9)));
    }

    private void reshape(DType dtype) {
        Shape shape = inputs.shape(4);
        comparison.check(Operations.RESHAPE, Attributes.of(Attribute.DIMS, new long[] {-1}), Tolerance.EXACT,
                "flattened", input(dtype, shape));
    }

    // ---- reductions ----

    private void reduction(Operation operation, DType dtype) {
        boolean fp64 = gpu.capabilities().supports(DType.FLOAT64);
        boolean rounded = dtype.isFloatingPoint() && operation.combiner() == Operations.ADD && !fp64;
        Random random = inputs.random();
        for (int trial = 0; trial < 14; trial++) {
            Shape shape = trial == 0 ? Shape.scalar() : trial == 1 ? Shape.of(37, 41, 5) : inputs.shape(4);
            int rank = shape.rank();
            Attributes attributes = Attributes.NONE;
            if (rank > 0 && trial % 3 != 2) {
                List<Integer> axes = new ArrayList<>();
                for (int axis = 0; axis < rank; axis++) {
                    if (random.nextBoolean()) {
                        axes.add(random.nextBoolean() ? axis - rank : axis);
                    }
                }
                if (!axes.isEmpty()) {
                    Collections.shuffle(axes, random);
                    attributes = attributes.with(Attribute.AXES, axes.stream().mapToInt(Integer::intValue).toArray());
                }
            }
            if (random.nextBoolean()) {
                attributes = attributes.with(Attribute.KEEP_DIMS, random.nextBoolean());
            }
            Input input = rounded ? new Input(dtype, shape, inputs.small(dtype, shape.elementCount(), false))
                    : input(dtype, shape);
            comparison.check(operation, attributes, rounded ? Tolerance.ulps(64) : Tolerance.EXACT, "trial " + trial,
                    input);
        }
    }
}
