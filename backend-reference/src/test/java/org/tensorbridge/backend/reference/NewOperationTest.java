package org.tensorbridge.backend.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.OperationUnsupportedException;
import org.tensorbridge.Session;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.DTypeRule;
import org.tensorbridge.op.ElementMath;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.ShapeRules;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.KernelRegistry;

/**
 * An operation defined after the backends were written — here, outside tensorbridge altogether — is
 * one definition and one kernel: the backend that registers a kernel runs it eagerly, in graphs and in
 * fused chains; a backend that does not refuses it with TB-OP-UNSUPPORTED and keeps working otherwise.
 */
class NewOperationTest {
    /** {@code a * a}, defined once: name, input, dtype rule, shape function, value. */
    static final Operation SQUARE = Operation.builder("square").dense("a").dtype(DTypeRule.SAME_NUMERIC)
            .shape(ShapeRules.SAME).elementwise(ElementMath.unary(a -> a * a, a -> a * a)).build();

    @Test
    void aBackendWithAKernelRunsItEagerlyInGraphsAndFused() {
        AbstractBackend backend = new ReferenceBackend(ReferenceBackend.spec("with-square")
                .kernels(KernelRegistry.builder().include(ReferenceBackend.kernels())
                        .overwrite(SQUARE, EnumSet.allOf(DType.class), ReferenceKernels::elementwise).build())
                .build()) {
        };
        assertTrue(backend.capabilities().supports(SQUARE, DType.INT32));
        try (Tensor a = backend.constant(new int[] {-3, 2, 46341}); Tensor b = a.apply(SQUARE, Attributes.NONE);
                HostArray values = b.toHost()) {
            assertEquals("[9, 4, -2147479015]", values.formatValues(), "int32 squares wrap like every integer op");
        }
        try (Graph graph = backend.newGraph(); Session session = graph.newSession()) {
            Symbol x = graph.placeholder("x", DType.FLOAT32, -1);
            Symbol y = x.apply(SQUARE, Attributes.NONE).add(1).apply(SQUARE, Attributes.NONE);
            try (HostArray r = session.run(y, Map.of(x, new float[] {1, 2}))) {
                assertEquals("[4.0, 25.0]", r.formatValues(), "(x^2 + 1)^2 as one fused chain");
            }
        }
        assertEquals(0, backend.ledger().liveBlocks());
    }

    @Test
    void aBackendWithoutAKernelRefusesItAndNothingElseChanges() {
        ReferenceBackend backend = new ReferenceBackend();
        assertFalse(backend.capabilities().supports(SQUARE));
        try (Tensor a = backend.constant(new float[] {1, 2})) {
            OperationUnsupportedException e = assertThrows(OperationUnsupportedException.class,
                    () -> a.apply(SQUARE, Attributes.NONE).close());
            assertTrue(e.getMessage().contains("square") && e.getMessage().contains("reference"), e.getMessage());
            try (Graph graph = backend.newGraph()) {
                Symbol x = graph.placeholder("x", DType.FLOAT32, 2);
                assertThrows(OperationUnsupportedException.class, () -> x.apply(SQUARE, Attributes.NONE),
                        "a graph refuses it when the node is added");
            }
            try (Tensor sum = a.add(a); HostArray values = sum.toHost()) {
                assertEquals("[2.0, 4.0]", values.formatValues());
            }
        }
    }
}
