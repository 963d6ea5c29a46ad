package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorbridge.AnyTensor;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Node;
import org.tensorbridge.OperationUnsupportedException;
import org.tensorbridge.Session;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.op.ValueKind;

/**
 * Rules 12.6 and 12.7: every operation the backend declares runs, the same through a graph as eagerly,
 * and every operation it does not declare is refused with {@code TB-OP-UNSUPPORTED} — the declaration
 * and the behaviour cannot disagree, whatever operations tensorbridge adds later.
 */
public interface OperationSetRules extends KitContext {

    @Test
    @ConformanceRule("12.6")
    default void everyOperationGivesTheSameValuesThroughAGraph() {
        for (Operation op : Operations.all()) {
            for (DType dtype : declared().dtypesOf(op)) {
                try (SampleCalls call = SampleCalls.of(op, dtype, backend(), fixtures())) {
                    if (call == null) {
                        continue;
                    }
                    String what = op + " on " + dtype.displayName();
                    byte[][] eager;
                    try (AnyTensor result = call.run(backend(), op)) {
                        eager = bytes(result);
                    }
                    try (Graph graph = backend().newGraph(); Session session = graph.newSession()) {
                        List<Node> nodes = new ArrayList<>();
                        for (AnyTensor input : call.inputs()) {
                            nodes.add(input instanceof Tensor t ? graph.constant(t)
                                    : graph.sparsePlaceholder("s" + nodes.size(), input.dtype(),
                                            ((SparseTensor) input).denseShape().toArray()));
                        }
                        Map<Node, Object> feeds = new java.util.HashMap<>();
                        for (int i = 0; i < nodes.size(); i++) {
                            if (call.inputs()[i] instanceof SparseTensor s) {
                                feeds.put(nodes.get(i), s);
                            }
                        }
                        Node fetch = op.output() == ValueKind.SPARSE
                                ? graph.applySparse(op, call.attributes(), nodes.toArray(Node[]::new))
                                : graph.apply(op, call.attributes(), nodes.toArray(Node[]::new));
                        List<Object> results = session.run(List.of(fetch), feeds);
                        try {
                            byte[][] graphed = bytes(results.get(0));
                            assertEquals(eager.length, graphed.length, what);
                            for (int part = 0; part < eager.length; part++) {
                                assertTrue(java.util.Arrays.equals(eager[part], graphed[part]),
                                        what + ": the graph's result differs from the eager one, part " + part);
                            }
                        } finally {
                            results.forEach(r -> {
                                try {
                                    ((AutoCloseable) r).close();
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
                        }
                    }
                }
            }
        }
    }

    @Test
    @ConformanceRule("12.7")
    default void declaredOperationsRunAndOthersAreRefused() {
        DType floating = declared().supportedDTypes().stream().filter(DType::isFloatingPoint).findFirst().orElse(null);
        for (Operation op : Operations.all()) {
            for (DType dtype : declared().supportedDTypes()) {
                boolean declaredHere = declared().supports(op, dtype);
                if (!declaredHere && !(dtype == floating && declared().dtypesOf(op).isEmpty())) {
                    continue;
                }
                try (SampleCalls call = SampleCalls.of(op, dtype, backend(), fixtures())) {
                    if (call == null) {
                        continue;
                    }
                    String what = op + " on " + dtype.displayName();
                    if (declaredHere) {
                        try (AnyTensor result = call.run(backend(), op)) {
                            assertEquals(op.output() == ValueKind.SPARSE, result instanceof SparseTensor, what);
                        } catch (OperationUnsupportedException e) {
                            fail(what + " is declared in capabilities().operations() but refused: " + e.getMessage());
                        }
                    } else {
                        OperationUnsupportedException e = assertThrows(OperationUnsupportedException.class,
                                () -> call.run(backend(), op).close(), what + " is not declared, so it must be refused");
                        assertEquals("TB-OP-UNSUPPORTED", e.code(), what);
                        assertTrue(e.getMessage().contains(op.name()) && e.getMessage().contains(backend().name()),
                                what + ": the refusal must name the operation and the backend: " + e.getMessage());
                    }
                } catch (DTypeMismatchException notDefinedOnThisDType) {
                    fail(op + " is declared on " + dtype.displayName() + " but its definition refuses that dtype: "
                            + notDefinedOnThisDType.getMessage());
                }
            }
        }
    }

    /** The bytes of a dense result, or of a sparse result's indices and values, through independent copies. */
    private static byte[][] bytes(Object result) {
        if (result instanceof Tensor tensor) {
            try (HostArray copy = tensor.toHost(CopyPolicy.ALWAYS)) {
                return new byte[][] {bytes(copy)};
            }
        }
        if (result instanceof SparseTensor sparse) {
            try (SparseValue value = sparse.toSparseValue(CopyPolicy.ALWAYS)) {
                return bytes(value);
            }
        }
        if (result instanceof SparseValue value) {
            return new byte[][] {bytes(value.indices()), bytes(value.values())};
        }
        return new byte[][] {bytes((HostArray) result)};
    }

    private static byte[] bytes(HostArray array) {
        ByteBuffer buffer = array.asByteBuffer();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
