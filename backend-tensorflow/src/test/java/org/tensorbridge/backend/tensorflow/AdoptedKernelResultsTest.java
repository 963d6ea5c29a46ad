package org.tensorbridge.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tensorbridge.AnyTensor;
import org.tensorbridge.DType;
import org.tensorbridge.OperationUnsupportedException;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;
import org.tensorbridge.TensorScope;
import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.op.ValueKind;

/**
 * Every operation of tensorbridge's operation set, on every dtype the backend holds, either runs on
 * TensorFlow with its output adopted (a kernel call, 0 bytes copied, no host fallback) or is refused with
 * {@code TB-OP-UNSUPPORTED}: nothing takes a silent detour through the host.
 */
class AdoptedKernelResultsTest {
    private static final TensorflowBackend BACKEND = TensorflowBackend.create();

    @AfterAll
    static void noMemoryLeftOpen() {
        assertEquals(0, BACKEND.ledger().liveBlocks(), "every result is released with its tensor");
    }

    @Test
    void everyOperationRunsOnTensorflowWithoutACopyOrIsRefused() {
        int ran = 0;
        int refused = 0;
        for (Operation op : Operations.all()) {
            for (DType dtype : BACKEND.capabilities().supportedDTypes()) {
                try (TensorScope scope = TensorScope.open()) {
                    AnyTensor[] inputs = inputs(op, dtype);
                    if (inputs == null) {
                        continue; // the definition refuses this dtype (arithmetic on bool, exp of integers)
                    }
                    Attributes attributes = attributes(op);
                    long calls = BACKEND.statistics().calls(op);
                    if (BACKEND.capabilities().supports(op, dtype)) {
                        AnyTensor result = op.output() == ValueKind.SPARSE
                                ? BACKEND.applySparse(op, attributes, inputs) : BACKEND.apply(op, attributes, inputs);
                        result.close();
                        if (!op.isView()) { // a reshape is a view of its input's memory: nothing runs
                            assertEquals(calls + 1, BACKEND.statistics().calls(op), op + " on " + dtype + " ran once");
                        }
                        ran++;
                    } else {
                        OperationUnsupportedException e = assertThrows(OperationUnsupportedException.class,
                                () -> (op.output() == ValueKind.SPARSE ? BACKEND.applySparse(op, attributes, inputs)
                                        : BACKEND.apply(op, attributes, inputs)).close(), op + " on " + dtype);
                        assertEquals("TB-OP-UNSUPPORTED", e.code());
                        refused++;
                    }
                }
            }
            assertEquals(0, BACKEND.statistics().bytesCopied(op), op + ": a result TensorFlow allocated is adopted, "
                    + "never copied");
            assertEquals(0, BACKEND.statistics().fallbacks(op), op + ": nothing runs on the host instead");
        }
        assertTrue(ran > 150, "operations that ran: " + ran);
        assertTrue(refused > 0, "operations refused: " + refused);
    }

    @Test
    void theRefusalsAreTheOnesTensorflowHasNoKernelFor() {
        assertFalse(BACKEND.capabilities().supports(Operations.POW, DType.FLOAT64),
                "float64 pow: TensorFlow flushes subnormals and there is no wider dtype to compute it in");
        assertFalse(BACKEND.capabilities().supports(Operations.MATMUL, DType.UINT8), "TensorFlow has no uint8 MatMul");
        assertFalse(BACKEND.capabilities().supports(Operations.COALESCE, DType.BOOL), "no bool sparse sums");
        assertTrue(BACKEND.capabilities().supports(Operations.ADD, DType.FLOAT32));
        assertTrue(BACKEND.capabilities().supports(Operations.SPARSE_MATMUL, DType.INT64),
                "int64 sparse matmul by gather and segment sum");
    }

    /** Sample inputs for {@code op} on {@code dtype}, in the current scope; null where the definition refuses it. */
    private static AnyTensor[] inputs(Operation op, DType dtype) {
        boolean numeric = dtype.isNumeric();
        boolean floating = dtype.isFloatingPoint();
        String name = op.name();
        if ((op.isElementwise() && !numeric) || (List.of("exp", "log", "sqrt", "tanh", "mean").contains(name)
                && !floating) || (List.of("matmul", "sum", "max", "min", "sparse_matmul", "sparse_add", "sparse_sum",
                "sparse_multiply").contains(name) && !numeric)) {
            return null;
        }
        Tensor a = BACKEND.fill(dtype, Shape.of(2, 3), numeric ? 2 : 1);
        Tensor b = BACKEND.fill(dtype, Shape.of(3), 1);
        return switch (name) {
            case "matmul" -> new AnyTensor[] {a, BACKEND.fill(dtype, Shape.of(3, 2), 1)};
            case "to_sparse", "reshape", "cast", "transpose", "sum", "mean", "max", "min" -> new AnyTensor[] {a};
            case "to_dense", "coalesce", "sparse_transpose", "sparse_sum" -> new AnyTensor[] {sparse(dtype)};
            case "sparse_add" -> new AnyTensor[] {sparse(dtype), sparse(dtype)};
            case "sparse_matmul" -> new AnyTensor[] {sparse(dtype), BACKEND.fill(dtype, Shape.of(3, 2), 1)};
            case "sparse_multiply" -> new AnyTensor[] {sparse(dtype), BACKEND.scalar(dtype, 2)};
            default -> op.arity() == 1 ? new AnyTensor[] {a} : new AnyTensor[] {a, b};
        };
    }

    private static SparseTensor sparse(DType dtype) {
        List<long[]> indices = new ArrayList<>(List.of(new long[] {1, 2}, new long[] {0, 1}, new long[] {1, 2}));
        try (Tensor i = BACKEND.constant(indices.stream().flatMapToLong(java.util.Arrays::stream).toArray(), 3, 2);
                Tensor v = BACKEND.fill(dtype, Shape.of(3), 1)) {
            return BACKEND.sparseCoo(i, v, Shape.of(2, 3));
        }
    }

    private static Attributes attributes(Operation op) {
        return switch (op.name()) {
            case "reshape" -> Attributes.of(Attribute.DIMS, new long[] {3, 2});
            case "cast" -> Attributes.of(Attribute.DTYPE, DType.FLOAT32);
            case "transpose" -> Attributes.of(Attribute.PERMUTATION, new int[] {1, 0});
            case "sum", "mean", "max", "min" -> Attributes.of(Attribute.AXES, new int[] {1});
            case "to_dense" -> Attributes.of(Attribute.MAX_ELEMENTS, 100L);
            case "sparse_sum" -> Attributes.of(Attribute.AXIS, 1);
            default -> Attributes.NONE;
        };
    }
}
