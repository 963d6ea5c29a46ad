package org.tensorbridge.backend.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;
import org.tensorbridge.TensorScope;

/** A scope closes what was made inside it, keeps what was detached, nests, and stays on its thread. */
class TensorScopeTest {
    private final ReferenceBackend backend = new ReferenceBackend();

    @Test
    void closesEveryIntermediateOfAChainButNotWhatWasDetached() {
        Tensor kept;
        Tensor intermediate;
        try (TensorScope scope = TensorScope.open()) {
            Tensor a = backend.constant(new int[] {1, 2});
            intermediate = a.add(1);
            kept = scope.detach(a.multiply(intermediate));
            SparseTensor sparse = backend.sparseCoo(new long[][] {{0}}, new float[] {1}, 3);
            assertTrue(scope.holds(sparse), "sparse tensors are attached too");
        }
        assertTrue(intermediate.isClosed(), "a.add(1) was closed with the scope");
        assertFalse(kept.isClosed(), "the detached result survives the scope");
        try (kept; HostArray values = kept.toHost()) {
            assertEquals("[2, 6]", values.formatValues());
        }
        assertEquals(0, backend.ledger().liveBlocks(), "nothing is left open");
    }

    @Test
    void innerScopesCloseTheirOwnAndClosedTensorsAreForgotten() {
        try (TensorScope outer = TensorScope.open()) {
            Tensor a = backend.constant(new float[] {1});
            Tensor inner;
            try (TensorScope scope = TensorScope.open()) {
                inner = a.exp();
                assertTrue(scope.holds(inner) && !outer.holds(inner), "a tensor belongs to the innermost scope");
            }
            assertTrue(inner.isClosed());
            assertFalse(a.isClosed(), "the outer scope's tensor stays open until the outer scope closes");
            Tensor closedEarly = a.add(a);
            closedEarly.close();
            assertFalse(outer.holds(closedEarly), "a tensor closed by its owner is forgotten at once");
        }
        assertEquals(0, backend.ledger().liveBlocks());
    }

    @Test
    void graphConstantsSurviveTheScopeTheyWereMadeIn() {
        try (Graph graph = backend.newGraph(); Session session = graph.newSession()) {
            Symbol c;
            try (TensorScope scope = TensorScope.open()) {
                c = graph.constant(backend.constant(new float[] {2, 3}));
            }
            try (HostArray r = session.run(c.multiply(c))) {
                assertEquals("[4.0, 9.0]", r.formatValues(), "the graph holds its own reference to the constant");
            }
        }
        assertEquals(0, backend.ledger().liveBlocks());
    }

    @Test
    void aScopeMustBeClosedOnItsOwnThread() throws InterruptedException {
        TensorScope scope = TensorScope.open();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                scope.close();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        other.start();
        other.join();
        assertTrue(failure.get() instanceof IllegalStateException, "closing on another thread is refused");
        scope.close();
        try (Tensor outside = backend.constant(new float[] {1}); TensorScope later = TensorScope.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> later.detach(outside));
            assertTrue(e.getMessage().contains("not attached"), e.getMessage());
        }
        assertEquals(0, backend.ledger().liveBlocks());
    }
}
