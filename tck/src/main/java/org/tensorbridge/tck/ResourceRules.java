package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Access;
import org.tensorbridge.CapacityException;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Operations;

/**
 * Rules 3.8 and 7.6: the native memory a backend reports holding comes back when everything is closed
 * (frees, not just released references), and shapes beyond its capacity are refused before anything is
 * allocated.
 */
public interface ResourceRules extends KitContext {

    @Test
    @ConformanceRule("3.8")
    default void closingEverythingFreesTheNativeMemory() {
        OptionalLong start = backend().nativeBytesHeld();
        assumeTrue(start.isPresent(), "not applicable: the backend cannot tell the native memory it holds");
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Tensor a = fixtures().tensor(DType.FLOAT32, Shape.of(64, 64), fixtures().randomValues(
                    fixtures().random("3.8"), DType.FLOAT32, 64 * 64, true));
            opened.add(a);
            Tensor b = a.add(a);
            opened.add(b);
            if (declares(Operations.MATMUL, DType.FLOAT32)) {
                opened.add(b.matmul(a));
            }
            if (declares(Operations.CAST, DType.FLOAT32)) {
                opened.add(a.cast(castTarget()));
            }
            opened.add(b.toHost(CopyPolicy.ALWAYS));
            opened.add(b.reshape(-1));
            try {
                opened.add(b.toHost(CopyPolicy.NEVER, Access.READ_ONLY));
            } catch (CopyRequiredException notShared) {
                opened.add(b.toHost());
            }
            assertTrue(backend().nativeBytesHeld().getAsLong() > start.getAsLong(),
                    "nativeBytesHeld() did not grow while 16 KiB tensors were open: it reports "
                            + backend().nativeBytesHeld().getAsLong() + ", as before");
            if (declared().supports(DType.INT64)) {
                SparseTensor sparse = backend().sparseCoo(new long[][] {{1, 2}, {0, 1}, {1, 2}}, new float[] {1, 2, 3},
                        2, 3);
                opened.add(sparse);
                SparseTensor coalesced = sparse.coalesce();
                opened.add(coalesced);
                SparseValue value = coalesced.toSparseValue(CopyPolicy.ALWAYS);
                opened.add(value);
            }
            try (Graph graph = backend().newGraph(); Session session = graph.newSession()) {
                Symbol x = graph.placeholder("x", DType.FLOAT32, 64, 64);
                try (HostArray result = session.run(x.multiply(x).add(1), Map.of(x, a))) {
                    assertEquals(Shape.of(64, 64), result.shape());
                }
            }
        } finally {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        assertEquals(start.getAsLong(), backend().nativeBytesHeld().getAsLong(),
                "native bytes held after every tensor, array, sparse value and graph was closed");
    }

    @Test
    @ConformanceRule("7.6")
    default void shapesBeyondCapacityAreRefusedBeforeAllocating() {
        DType narrowest = declared().supportedDTypes().stream().min(Comparator.comparingInt(DType::byteWidth))
                .orElseThrow();
        long max = declared().maxTensorBytes();
        OptionalLong heldBefore = backend().nativeBytesHeld();
        DType widest = declared().supportedDTypes().stream().max(Comparator.comparingInt(DType::byteWidth))
                .orElseThrow();
        if (widest.byteWidth() > 1) {
            long overflowing = Long.MAX_VALUE / widest.byteWidth() + 1;
            assertThrows(CapacityException.class, () -> backend().zeros(widest, Shape.of(overflowing)).close(),
                    "zeros(" + widest.displayName() + "[" + overflowing + "]), whose byte size overflows long");
        }
        if (max < Long.MAX_VALUE / 2) {
            long elements = max / narrowest.byteWidth() + 1;
            CapacityException e = assertThrows(CapacityException.class,
                    () -> backend().zeros(narrowest, Shape.of(elements)).close(),
                    "zeros(" + narrowest.displayName() + "[" + elements + "]) is beyond maxTensorBytes " + max);
            assertTrue(e.getMessage().contains(Long.toString(max)), "the refusal must give the limit: " + e);
            long side = (long) Math.ceil(Math.sqrt((double) elements));
            if (declared().supports(Operations.ADD, DType.FLOAT32) && side < (1 << 24)) {
                long sideFloats = (long) Math.ceil(Math.sqrt((double) (max / 4 + 1)));
                try (Tensor column = backend().zeros(DType.FLOAT32, Shape.of(sideFloats, 1));
                        Tensor row = backend().zeros(DType.FLOAT32, Shape.of(1, sideFloats))) {
                    assertThrows(CapacityException.class, () -> column.add(row).close(),
                            "a broadcast whose result [" + sideFloats + ", " + sideFloats + "] is beyond maxTensorBytes "
                                    + max + " must be refused before the result is allocated");
                }
            }
        } else {
            // A backend that declares more than a 2 GiB tensor must really hold one.
            long elements = (1L << 31) + 16;
            try (Tensor big = backend().zeros(narrowest, Shape.of(elements)); Tensor last = big.reshape(elements);
                    HostArray host = last.toHost()) {
                assertEquals(0, host.getAsDouble(elements - 1), "the last element of a tensor just over 2 GiB");
            }
        }
        if (heldBefore.isPresent()) {
            assertEquals(heldBefore.getAsLong(), backend().nativeBytesHeld().getAsLong(),
                    "refused shapes allocated native memory");
        }
    }
}
