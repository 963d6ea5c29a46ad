package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.tensorbridge.AnyTensor;
import org.tensorbridge.Backend;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.backend.reference.ReferenceBackend;
import org.tensorbridge.memory.ElementAccess;
import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.op.ValueKind;

/**
 * Every operation of {@link Operations#all()} with a sparse input or result on the GPU against the
 * reference backend, on random COO tensors of every dtype the GPU runs it on (duplicates, unsorted and
 * empty ones included): the same indices, canonical flag and value bits ({@link Bits}), or the same dense
 * result, or the same refusal. Values are small where the operation multiplies (sparse x dense), so that
 * products are exact and both backends' sums, each rounded to the dtype after every step in input order,
 * are the same. Skipped without OpenCL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpuSparseOperationsTest {
    private GpuBackend gpu;
    private final ReferenceBackend reference = new ReferenceBackend();
    private final RandomInputs inputs = new RandomInputs(new Random(20261207L));
    private long comparisons;

    /** A dense input, or a sparse one of {@code nnz} entries when {@code indices} is set ({@code int64 [nnz, rank]}). */
    private record Input(DType dtype, Shape shape, ByteBuffer values, long[] indices, long nnz) {
        Input(DType dtype, Shape shape, ByteBuffer values) {
            this(dtype, shape, values, null, 0);
        }

        @Override
        public String toString() {
            return (indices == null ? "" : "sparse nnz " + nnz + " ") + dtype.displayName() + shape
                    + (indices == null ? "" : " at " + Arrays.toString(indices));
        }
    }

    /** What came back: dense bits, or sparse indices, bits and flag, or a refusal. */
    private record Outcome(Shape shape, long[] indices, long[] bits, boolean canonical, RuntimeException error) {
    }

    @BeforeAll
    void open() {
        gpu = OpenCl.backendOrNull();
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
    Stream<DynamicTest> everySparseOperationMatchesTheReference() {
        OpenCl.assumeAvailable();
        return Operations.all().stream().filter(operation -> !GpuOperationsTest.dense(operation))
                .map(operation -> DynamicTest.dynamicTest(operation.name(), () -> check(operation)));
    }

    private void check(Operation operation) {
        Set<DType> dtypes = gpu.capabilities().dtypesOf(operation);
        assertFalse(dtypes.isEmpty(), "the GPU runs no dtype of " + operation);
        long before = comparisons;
        for (DType dtype : dtypes) {
            for (int trial = 0; trial < 8; trial++) {
                Attributes attributes = Attributes.NONE;
                List<Input> call = new ArrayList<>();
                Shape shape = trial == 0 ? Shape.of(0, 3) : trial == 1 ? Shape.of(5) : inputs.shape(3);
                if (operation == Operations.TO_SPARSE) {
                    call.add(denseWithZeros(dtype, shape));
                } else if (operation == Operations.SPARSE_MATMUL) {
                    Shape a = Shape.of(inputs.random().nextInt(6), 1 + inputs.random().nextInt(5));
                    Shape b = Shape.of(a.dim(1), trial == 2 ? 0 : 1 + inputs.random().nextInt(4));
                    call.add(sparse(dtype, a, true));
                    call.add(new Input(dtype, b, inputs.small(dtype, b.elementCount(), false)));
                } else {
                    if (operation == Operations.SPARSE_TRANSPOSE && shape.rank() != 2) {
                        shape = Shape.of(1 + inputs.random().nextInt(5), 1 + inputs.random().nextInt(5));
                    }
                    if (operation == Operations.SPARSE_SUM && shape.rank() == 0) {
                        shape = Shape.of(4);
                    }
                    call.add(sparse(dtype, shape, false));
                    if (operation == Operations.SPARSE_ADD) {
                        call.add(sparse(dtype, shape, false));
                    } else if (operation == Operations.SPARSE_MULTIPLY) {
                        call.add(new Input(dtype, Shape.scalar(), inputs.values(dtype, 1)));
                    } else if (operation == Operations.SPARSE_SUM) {
                        attributes = Attributes.of(Attribute.AXIS, inputs.random().nextInt(shape.rank()));
                    } else if (operation == Operations.TO_DENSE) {
                        attributes = Attributes.of(Attribute.MAX_ELEMENTS, 1000L);
                    } else if (operation != Operations.COALESCE && operation != Operations.SPARSE_TRANSPOSE) {
                        throw new AssertionError("no case compares " + operation + " yet; add one here");
                    }
                }
                compare(operation, attributes, call, "trial " + trial);
            }
        }
        assertTrue(comparisons > before, operation + ": nothing was compared");
    }

    private Input denseWithZeros(DType dtype, Shape shape) {
        ByteBuffer values = inputs.values(dtype, shape.elementCount());
        for (int i = 0; i < shape.elementCount(); i++) {
            if (inputs.random().nextBoolean()) {
                ElementAccess.writeLong(values, dtype, i, 0);
            }
        }
        return new Input(dtype, shape, values);
    }

    /** Random COO parts of {@code shape}: up to 12 entries (rank 0: all at the one position), duplicates likely. */
    private Input sparse(DType dtype, Shape shape, boolean small) {
        Random random = inputs.random();
        int nnz = shape.elementCount() == 0 ? 0 : random.nextInt(13);
        long[] indices = new long[nnz * shape.rank()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = random.nextInt((int) shape.dim(i % shape.rank()));
        }
        ByteBuffer values = small ? inputs.small(dtype, nnz, false) : inputs.values(dtype, nnz);
        return new Input(dtype, shape, values, indices, nnz);
    }

    private void compare(Operation operation, Attributes attributes, List<Input> call, String what) {
        String text = operation + attributes.toString() + call + " " + what;
        Outcome want = run(reference, operation, attributes, call);
        Outcome got = run(gpu, operation, attributes, call);
        if (want.error() != null || got.error() != null) {
            assertNotNull(want.error(), () -> text + ": the GPU refused what the reference computes: " + got.error());
            assertNotNull(got.error(), () -> text + ": the GPU computed what the reference refuses: " + want.error());
            assertEquals(want.error().getClass(), got.error().getClass(), text);
            assertEquals(want.error().getMessage(), got.error().getMessage(), text);
            return;
        }
        assertEquals(want.shape(), got.shape(), text + ": shape");
        assertArrayEquals(want.indices(), got.indices(), text + ": indices");
        assertArrayEquals(want.bits(), got.bits(), text + ": values");
        assertEquals(want.canonical(), got.canonical(), text + ": canonical flag");
        comparisons += want.bits().length;
    }

    private static Outcome run(Backend backend, Operation operation, Attributes attributes, List<Input> call) {
        List<AnyTensor> made = new ArrayList<>();
        try {
            for (Input input : call) {
                made.add(make(backend, input));
            }
            AnyTensor[] operands = made.toArray(AnyTensor[]::new);
            if (operation.output() == ValueKind.SPARSE) {
                try (SparseTensor result = backend.applySparse(operation, attributes, operands);
                        SparseValue value = result.toSparseValue()) {
                    return new Outcome(value.denseShape(), value.indices().toLongArray(), Bits.of(value.values()),
                            value.isCanonical(), null);
                }
            }
            try (Tensor result = backend.apply(operation, attributes, operands); HostArray host = result.toHost()) {
                return new Outcome(result.shape(), null, Bits.of(host), false, null);
            }
        } catch (RuntimeException e) {
            return new Outcome(null, null, null, false, e);
        } finally {
            made.forEach(AnyTensor::close);
        }
    }

    private static AnyTensor make(Backend backend, Input input) {
        ByteBuffer values = input.values().duplicate().order(input.values().order());
        if (input.indices() == null) {
            return backend.fromBuffer(values, input.dtype(), input.shape());
        }
        int rank = input.shape().rank();
        long nnz = input.nnz();
        try (Tensor indices = backend.constant(input.indices(), nnz, rank);
                Tensor stored = backend.fromBuffer(values, input.dtype(), Shape.of(nnz))) {
            return backend.sparseCoo(indices, stored, input.shape());
        }
    }
}
