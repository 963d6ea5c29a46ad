package org.tensorbridge.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendUnavailableException;
import org.tensorbridge.Backends;
import org.tensorbridge.CapacityException;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.HostArray;
import org.tensorbridge.MalformedSparseException;
import org.tensorbridge.ReadOnlyException;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseIndexException;
import org.tensorbridge.Tensor;
import org.tensorbridge.UndefinedResultException;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.spi.AbstractBackend;

/**
 * Invalid calls across the public api, on the cpu backend: each throws exactly the documented
 * exception type, with a message that names the offending argument, leaves nothing partly
 * written, and leaks no memory.
 */
class CpuBadInputTest {
    private static final Backend CPU = Backends.get("cpu");
    private static final MemoryLedger LEDGER = ((AbstractBackend) CPU).ledger();
    private static final ByteOrder FOREIGN_ORDER =
            ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;

    private static long liveBlocksBeforeAllCases;

    /** One invalid call: the exception type it must throw and a substring its message must contain. */
    record Case(Class<? extends Throwable> type, String named, Executable call) {
    }

    @BeforeAll
    static void recordLiveBlocks() {
        liveBlocksBeforeAllCases = LEDGER.liveBlocks();
    }

    @AfterAll
    static void everyCaseReleasedWhatItAllocated() {
        assertEquals(liveBlocksBeforeAllCases, LEDGER.liveBlocks(), LEDGER::toString);
    }

    @Test
    void anEmptyTensorReshapesToDimensionsThatWouldOverflowWithoutTheirZero() {
        try (Tensor empty = CPU.fill(DType.FLOAT32, Shape.of(0, 3), 0);
                Tensor reshaped = empty.reshape(1L << 32, 1L << 32, 0)) {
            assertEquals(Shape.of(1L << 32, 1L << 32, 0), reshaped.shape());
        }
    }

    /**
     * The move that the refusal of another backend's tensor suggests keeps that tensor's memory held, through the
     * host array the moved tensor owns, until the moved tensor closes: counted by the other backend's ledger.
     */
    @Test
    void theMoveThatTheRefusalSuggestsKeepsTheSourcesMemoryUntilTheMovedTensorCloses() {
        AbstractBackend reference = (AbstractBackend) Backends.get("reference");
        long liveBefore = reference.ledger().liveBlocks();
        Tensor source = reference.constant(new float[] {1, 2, 3}, 3);
        try (Tensor ones = CPU.ones(DType.FLOAT32, Shape.of(3))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ones.add(source));
            assertTrue(refused.getMessage().contains("fromBuffer(host.asByteBuffer(), host.dtype(), host.shape(), "
                    + "CopyPolicy.IF_NEEDED, host) where host = b.toHost()"), refused.getMessage());

            HostArray host = source.toHost(CopyPolicy.NEVER);
            try (Tensor moved = CPU.fromBuffer(host.asByteBuffer(), host.dtype(), host.shape(), CopyPolicy.IF_NEEDED,
                    host)) {
                source.close();
                assertEquals(liveBefore + 1, reference.ledger().liveBlocks(), "the source's memory was let go of");
                try (Tensor sum = ones.add(moved); HostArray values = sum.toHost()) {
                    assertArrayEquals(new float[] {2, 3, 4}, values.toFloatArray());
                }
            }
            assertTrue(host.isClosed(), "closing the moved tensor did not close the host array it owns");
            assertEquals(liveBefore, reference.ledger().liveBlocks(), "the source's memory outlived the moved tensor");
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidCalls")
    void invalidCallThrowsTheDocumentedTypeNamingTheArgumentAndLeaksNothing(Case c) {
        long liveBlocksBefore = LEDGER.liveBlocks();
        Throwable thrown = null;
        try {
            c.call().execute();
        } catch (Throwable t) {
            thrown = t;
        }
        if (thrown == null) {
            fail("no exception; expected " + c.type().getName());
        }
        if (thrown.getClass() != c.type()) {
            fail("expected " + c.type().getName() + " but got " + thrown, thrown);
        }
        String message = thrown.getMessage();
        assertTrue(message != null && message.contains(c.named()),
                () -> "the message should name '" + c.named() + "' but is: " + message);
        assertEquals(liveBlocksBefore, LEDGER.liveBlocks(), () -> "memory left live by this case: " + LEDGER);
    }

    static Stream<Arguments> invalidCalls() {
        return Stream.of(
                // ---- shapes ----
                bad("Shape.of with a negative dimension", IllegalArgumentException.class, "dims[1]",
                        () -> Shape.of(2, -3)),
                bad("Shape.of whose element count overflows long", IllegalArgumentException.class, "Long.MAX_VALUE",
                        () -> Shape.of(Long.MAX_VALUE, 2)),
                bad("Shape.of(null)", NullPointerException.class, "dims",
                        () -> Shape.of((long[]) null)),
                bad("zeros whose byte size overflows long", CapacityException.class, "shape",
                        () -> CPU.zeros(DType.FLOAT64, Shape.of(1L << 61)).close()),
                bad("zeros larger than one host block (3 GB)", CapacityException.class, "shape",
                        () -> CPU.zeros(DType.INT8, Shape.of(3_000_000_000L)).close()),
                bad("zeros with a null shape", NullPointerException.class, "shape",
                        () -> CPU.zeros(DType.INT32, null).close()),
                bad("fill with a null dtype", NullPointerException.class, "dtype",
                        () -> CPU.fill(null, Shape.of(2), 1).close()),

                // ---- Java arrays ----
                bad("flat array shorter than its shape", ShapeMismatchException.class, "data has 5 elements",
                        () -> CPU.constant(new float[5], 2, 3).close()),
                bad("flat array with a negative dimension", IllegalArgumentException.class, "dims[1]",
                        () -> CPU.constant(new long[6], 2, -3).close()),
                bad("flat array with a null shape", NullPointerException.class, "shape",
                        () -> CPU.constant(new byte[3], (long[]) null).close()),
                bad("null flat array", NullPointerException.class, "data",
                        () -> CPU.constant((double[]) null).close()),
                bad("ragged int[][] (short second row)", ShapeMismatchException.class, "data[1]",
                        () -> CPU.constant(new int[][] {{1, 2}, {3}}).close()),
                bad("ragged long[][] (long second row)", ShapeMismatchException.class, "data[1]",
                        () -> CPU.constant(new long[][] {{1}, {2, 3}}).close()),
                bad("ragged int[][] (empty first row)", ShapeMismatchException.class, "data[1]",
                        () -> CPU.constant(new int[][] {{}, {1}}).close()),
                bad("ragged double[][][] at depth 2", ShapeMismatchException.class, "data[1][1]",
                        () -> CPU.constant(new double[][][] {{{1, 2}, {3, 4}}, {{5, 6}, {7}}}).close()),
                bad("nested float[][] with a null row", NullPointerException.class, "data[1]",
                        () -> CPU.constant(new float[][] {{1f}, null}).close()),

                // ---- ByteBuffers ----
                bad("fromBuffer with fewer bytes remaining than the shape needs", ShapeMismatchException.class,
                        "data has 8 bytes", () -> {
                            ByteBuffer data = direct(10).position(2);
                            try {
                                CPU.fromBuffer(data, DType.INT32, Shape.of(3)).close();
                            } finally {
                                assertPositionAndLimit(data, 2, 10);
                            }
                        }),
                bad("fromBuffer (ALWAYS, heap) with more bytes than the shape needs", ShapeMismatchException.class,
                        "data has 16 bytes", () -> {
                            ByteBuffer data = ByteBuffer.allocate(20).position(4);
                            try {
                                CPU.fromBuffer(data, DType.FLOAT32, Shape.of(3), CopyPolicy.ALWAYS).close();
                            } finally {
                                assertPositionAndLimit(data, 4, 20);
                            }
                        }),
                bad("fromBuffer NEVER on a heap buffer", CopyRequiredException.class, "heap buffer", () -> {
                    ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).position(4).limit(12);
                    try {
                        CPU.fromBuffer(data, DType.INT32, Shape.of(2), CopyPolicy.NEVER).close();
                    } finally {
                        assertPositionAndLimit(data, 4, 12);
                    }
                }),
                bad("fromBuffer NEVER on a non-native-order buffer", CopyRequiredException.class,
                        FOREIGN_ORDER.toString(), () -> {
                            ByteBuffer data = ByteBuffer.allocateDirect(8).order(FOREIGN_ORDER);
                            try {
                                CPU.fromBuffer(data, DType.INT32, Shape.of(2), CopyPolicy.NEVER).close();
                            } finally {
                                assertPositionAndLimit(data, 0, 8);
                            }
                        }),
                bad("fromBuffer with null data", NullPointerException.class, "data",
                        () -> CPU.fromBuffer(null, DType.INT32, Shape.of(2)).close()),
                bad("fromBuffer with a null dtype", NullPointerException.class, "dtype",
                        () -> CPU.fromBuffer(direct(8), null, Shape.of(2)).close()),
                bad("fromBuffer with a null shape", NullPointerException.class, "shape",
                        () -> CPU.fromBuffer(direct(8), DType.INT32, null).close()),
                bad("fromBuffer with a null policy", NullPointerException.class, "policy",
                        () -> CPU.fromBuffer(direct(8), DType.INT32, Shape.of(2), null).close()),

                // ---- NEVER + WRITABLE on read-only memory ----
                bad("toHost(NEVER, WRITABLE) of a tensor wrapping a read-only buffer", CopyRequiredException.class,
                        "read-only buffer", () -> {
                            try (Tensor t = CPU.fromBuffer(readOnlyDirect(8), DType.INT32, Shape.of(2),
                                    CopyPolicy.NEVER)) {
                                t.toHost(CopyPolicy.NEVER, Access.WRITABLE).close();
                            }
                        }),
                bad("toHost(NEVER, WRITABLE) of a reshaped view of a read-only buffer", CopyRequiredException.class,
                        "read-only buffer", () -> {
                            try (Tensor t = CPU.fromBuffer(readOnlyDirect(16), DType.FLOAT32, Shape.of(4),
                                    CopyPolicy.NEVER);
                                    Tensor view = t.reshape(2, 2)) {
                                view.toHost(CopyPolicy.NEVER, Access.WRITABLE).close();
                            }
                        }),
                bad("toHost with a null policy", NullPointerException.class, "policy", () -> {
                    try (Tensor t = matrix()) {
                        t.toHost(null, Access.READ_ONLY).close();
                    }
                }),
                bad("toHost with a null access", NullPointerException.class, "access", () -> {
                    try (Tensor t = matrix()) {
                        t.toHost(CopyPolicy.NEVER, null).close();
                    }
                }),

                // ---- strict typed accessors ----
                bad("getFloat on int32", DTypeMismatchException.class, "int32", () -> {
                    try (Tensor t = matrix(); HostArray h = t.toHost()) {
                        h.getFloat(0, 0);
                    }
                }),
                bad("getInt on float32", DTypeMismatchException.class, "float32", () -> {
                    try (Tensor t = CPU.constant(new float[] {1f}); HostArray h = t.toHost()) {
                        h.getInt(0);
                    }
                }),
                bad("getLong on int32 names the accessor's dtype", DTypeMismatchException.class, "int64", () -> {
                    try (Tensor t = matrix(); HostArray h = t.toHost()) {
                        h.getLong(0, 0);
                    }
                }),
                bad("getShort on float16", DTypeMismatchException.class, "float16", () -> {
                    try (Tensor t = CPU.fill(DType.FLOAT16, Shape.of(2), 1.5); HostArray h = t.toHost()) {
                        h.getShort(0);
                    }
                }),
                bad("getBoolean on uint8", DTypeMismatchException.class, "uint8", () -> {
                    try (Tensor t = CPU.zeros(DType.UINT8, Shape.of(2)); HostArray h = t.toHost()) {
                        h.getBoolean(0);
                    }
                }),
                bad("setFloat on a writable bool copy leaves the element", DTypeMismatchException.class, "bool", () -> {
                    try (Tensor t = CPU.constant(new boolean[] {true, false});
                            HostArray h = t.toHost(CopyPolicy.ALWAYS, Access.WRITABLE)) {
                        try {
                            h.setFloat(0f, 0);
                        } finally {
                            assertTrue(h.getBoolean(0));
                        }
                    }
                }),
                bad("copyTo(long[]) on int32", DTypeMismatchException.class, "int32", () -> {
                    try (Tensor t = matrix(); HostArray h = t.toHost()) {
                        h.copyTo(new long[6]);
                    }
                }),
                bad("toDoubleArray on float32", DTypeMismatchException.class, "float32", () -> {
                    try (Tensor t = CPU.constant(new float[] {1f}); HostArray h = t.toHost()) {
                        h.toDoubleArray();
                    }
                }),

                // ---- indices ----
                bad("index of rank 1 on a rank-2 array", IndexOutOfBoundsException.class, "rank 2", () -> {
                    try (Tensor t = matrix(); HostArray h = t.toHost()) {
                        h.getInt(0);
                    }
                }),
                bad("index out of range on axis 0", IndexOutOfBoundsException.class, "axis 0", () -> {
                    try (Tensor t = matrix(); HostArray h = t.toHost()) {
                        h.getInt(2, 0);
                    }
                }),
                bad("negative index on axis 1", IndexOutOfBoundsException.class, "axis 1", () -> {
                    try (Tensor t = matrix(); HostArray h = t.toHost()) {
                        h.getInt(0, -1);
                    }
                }),
                bad("empty index on a rank-1 array", IndexOutOfBoundsException.class, "index", () -> {
                    try (Tensor t = CPU.constant(new float[] {1f, 2f}); HostArray h = t.toHost()) {
                        h.getAsDouble();
                    }
                }),
                bad("null index", IndexOutOfBoundsException.class, "index", () -> {
                    try (Tensor t = matrix(); HostArray h = t.toHost()) {
                        h.getInt((long[]) null);
                    }
                }),
                bad("index of rank 1 on a scalar", IndexOutOfBoundsException.class, "rank 0", () -> {
                    try (Tensor t = CPU.scalar(DType.FLOAT32, 1); HostArray h = t.toHost()) {
                        h.getFloat(0);
                    }
                }),
                bad("setInt out of range on a writable view leaves the tensor", IndexOutOfBoundsException.class,
                        "axis 1", () -> {
                            try (Tensor t = matrix(); HostArray h = t.toHost(CopyPolicy.NEVER, Access.WRITABLE)) {
                                try {
                                    h.setInt(99, 1, 3);
                                } finally {
                                    assertMatrixUnchanged(t);
                                }
                            }
                        }),

                // ---- read-only views ----
                bad("setInt on the default (read-only, shared) view", ReadOnlyException.class, "read-only", () -> {
                    try (Tensor t = matrix(); HostArray h = t.toHost()) {
                        try {
                            h.setInt(99, 0, 0);
                        } finally {
                            assertEquals(1, h.getInt(0, 0));
                            assertMatrixUnchanged(t);
                        }
                    }
                }),
                bad("setFloat on a NEVER read-only view", ReadOnlyException.class, "read-only", () -> {
                    try (Tensor t = CPU.constant(new float[] {1f, 2f});
                            HostArray h = t.toHost(CopyPolicy.NEVER, Access.READ_ONLY)) {
                        try {
                            h.setFloat(9f, 1);
                        } finally {
                            assertEquals(2f, h.getFloat(1));
                        }
                    }
                }),
                bad("setBoolean on a read-only copy", ReadOnlyException.class, "read-only", () -> {
                    try (Tensor t = CPU.constant(new boolean[] {false});
                            HostArray h = t.toHost(CopyPolicy.ALWAYS, Access.READ_ONLY)) {
                        try {
                            h.setBoolean(true, 0);
                        } finally {
                            assertFalse(h.getBoolean(0));
                        }
                    }
                }),

                // ---- bulk copies ----
                bad("copyTo(int[]) too short leaves the destination", IndexOutOfBoundsException.class, "destination",
                        () -> {
                            int[] destination = {-1, -1, -1, -1, -1};
                            try (Tensor t = matrix(); HostArray h = t.toHost()) {
                                h.copyTo(destination);
                            } finally {
                                assertArrayEquals(new int[] {-1, -1, -1, -1, -1}, destination);
                            }
                        }),
                bad("copyTo(float[]) of float16 too short leaves the destination", IndexOutOfBoundsException.class,
                        "destination", () -> {
                            float[] destination = {-1f};
                            try (Tensor t = CPU.fill(DType.FLOAT16, Shape.of(2), 1.5); HostArray h = t.toHost()) {
                                h.copyTo(destination);
                            } finally {
                                assertArrayEquals(new float[] {-1f}, destination);
                            }
                        }),
                bad("copyTo(null)", NullPointerException.class, "destination", () -> {
                    try (Tensor t = CPU.constant(new float[] {1f}); HostArray h = t.toHost()) {
                        h.copyTo((float[]) null);
                    }
                }),

                // ---- broadcasting and matmul ----
                bad("add of [2, 3] and [4]", ShapeMismatchException.class, "add(a, b)", () -> {
                    try (Tensor a = matrix(); Tensor b = CPU.zeros(DType.INT32, Shape.of(4))) {
                        a.add(b).close();
                    }
                }),
                bad("subtract of [3, 1, 2] and [4, 3]", ShapeMismatchException.class, "[4, 3]", () -> {
                    try (Tensor a = CPU.zeros(DType.FLOAT32, Shape.of(3, 1, 2));
                            Tensor b = CPU.zeros(DType.FLOAT32, Shape.of(4, 3))) {
                        a.subtract(b).close();
                    }
                }),
                bad("matmul of a rank-1 a", ShapeMismatchException.class, "rank-2", () -> {
                    try (Tensor a = CPU.zeros(DType.FLOAT32, Shape.of(3));
                            Tensor b = CPU.zeros(DType.FLOAT32, Shape.of(3, 1))) {
                        a.matmul(b).close();
                    }
                }),
                bad("matmul of a rank-3 b", ShapeMismatchException.class, "rank-2", () -> {
                    try (Tensor a = CPU.zeros(DType.FLOAT32, Shape.of(2, 2));
                            Tensor b = CPU.zeros(DType.FLOAT32, Shape.of(2, 2, 1))) {
                        a.matmul(b).close();
                    }
                }),
                bad("matmul with mismatched inner dimensions", ShapeMismatchException.class, "a's columns (3)", () -> {
                    try (Tensor a = CPU.zeros(DType.FLOAT32, Shape.of(2, 3));
                            Tensor b = CPU.zeros(DType.FLOAT32, Shape.of(2, 3))) {
                        a.matmul(b).close();
                    }
                }),

                // ---- dtypes of operands ----
                bad("add of int32 and float32", DTypeMismatchException.class, "b is float32", () -> {
                    try (Tensor a = matrix(); Tensor b = CPU.zeros(DType.FLOAT32, Shape.of(3))) {
                        a.add(b).close();
                    }
                }),
                bad("matmul of float32 and float64", DTypeMismatchException.class, "float64", () -> {
                    try (Tensor a = CPU.zeros(DType.FLOAT32, Shape.of(2, 2));
                            Tensor b = CPU.zeros(DType.FLOAT64, Shape.of(2, 2))) {
                        a.matmul(b).close();
                    }
                }),
                bad("add of two bool tensors", DTypeMismatchException.class, "bool", () -> {
                    try (Tensor a = CPU.constant(new boolean[] {true}); Tensor b = CPU.constant(new boolean[] {true})) {
                        a.add(b).close();
                    }
                }),
                bad("multiply of a bool tensor by a scalar", DTypeMismatchException.class, "bool", () -> {
                    try (Tensor a = CPU.constant(new boolean[] {true, false})) {
                        a.multiply(1).close();
                    }
                }),
                bad("matmul of bool matrices", DTypeMismatchException.class, "bool", () -> {
                    try (Tensor a = CPU.ones(DType.BOOL, Shape.of(2, 2));
                            Tensor b = CPU.ones(DType.BOOL, Shape.of(2, 2))) {
                        a.matmul(b).close();
                    }
                }),

                // ---- scalars ----
                bad("1.5 added to int32", DTypeMismatchException.class, "scalar is 1.5", () -> {
                    try (Tensor a = matrix()) {
                        a.add(1.5).close();
                    }
                }),
                bad("300 added to int8", DTypeMismatchException.class, "scalar is 300", () -> {
                    try (Tensor a = CPU.constant(new byte[] {1, 2})) {
                        a.add(300).close();
                    }
                }),
                bad("1e6 added to float16", DTypeMismatchException.class, "scalar is 1000000.0", () -> {
                    try (Tensor a = CPU.zeros(DType.FLOAT16, Shape.of(2))) {
                        a.add(1e6).close();
                    }
                }),
                bad("1e39 added to float32", DTypeMismatchException.class, "scalar is 1.0E39", () -> {
                    try (Tensor a = CPU.constant(new float[] {1f})) {
                        a.add(1e39).close();
                    }
                }),
                bad("-1 subtracted from uint8", DTypeMismatchException.class, "scalar is -1", () -> {
                    try (Tensor a = CPU.zeros(DType.UINT8, Shape.of(2))) {
                        a.subtract(-1).close();
                    }
                }),
                bad("int32 multiplied by NaN", DTypeMismatchException.class, "scalar is NaN", () -> {
                    try (Tensor a = matrix()) {
                        a.multiply(Double.NaN).close();
                    }
                }),
                bad("2^63 (BigInteger) added to int64", DTypeMismatchException.class, "scalar", () -> {
                    try (Tensor a = CPU.zeros(DType.INT64, Shape.of(2))) {
                        a.add(BigInteger.ONE.shiftLeft(63)).close();
                    }
                }),
                bad("non-integral BigDecimal added to int32", DTypeMismatchException.class, "scalar", () -> {
                    try (Tensor a = matrix()) {
                        a.add(new BigDecimal("2.0000000000000000001")).close();
                    }
                }),
                bad("finite BigDecimal beyond float64 added to float64", DTypeMismatchException.class, "scalar", () -> {
                    try (Tensor a = CPU.constant(new double[] {1})) {
                        a.add(new BigDecimal("1e400")).close();
                    }
                }),
                bad("null scalar", NullPointerException.class, "scalar", () -> {
                    try (Tensor a = matrix()) {
                        a.add((Number) null).close();
                    }
                }),
                bad("fill bool with 2", DTypeMismatchException.class, "value is 2",
                        () -> CPU.fill(DType.BOOL, Shape.of(2), 2).close()),
                bad("fill int16 with 40000", DTypeMismatchException.class, "value is 40000",
                        () -> CPU.fill(DType.INT16, Shape.of(2), 40000).close()),
                bad("fill with a null value", NullPointerException.class, "value",
                        () -> CPU.fill(DType.INT32, Shape.of(2), null).close()),

                // ---- integer division by zero (ND4J would kill the JVM with SIGFPE) ----
                bad("int32 divided by a tensor holding a zero", UndefinedResultException.class, "b holds a zero", () -> {
                    try (Tensor a = CPU.constant(new int[] {6, 6, 6}); Tensor b = CPU.constant(new int[] {3, 0, 2})) {
                        a.divide(b).close();
                    }
                }),
                bad("int16 divided by a tensor whose last element is zero", UndefinedResultException.class, "b", () -> {
                    try (Tensor a = CPU.constant(new short[] {6, 6, 6, 6}, 2, 2);
                            Tensor b = CPU.constant(new short[] {1, 1, 1, 0}, 2, 2)) {
                        a.divide(b).close();
                    }
                }),
                bad("int8 divided by a broadcast zero", UndefinedResultException.class, "b", () -> {
                    try (Tensor a = CPU.constant(new byte[] {1, 2, 3, 4}); Tensor b = CPU.constant(new byte[] {0})) {
                        a.divide(b).close();
                    }
                }),
                bad("uint8 divided by zeros", UndefinedResultException.class, "b", () -> {
                    try (Tensor a = CPU.ones(DType.UINT8, Shape.of(3));
                            Tensor b = CPU.zeros(DType.UINT8, Shape.of(3))) {
                        a.divide(b).close();
                    }
                }),
                bad("int32 divided by a reshaped view holding a zero", UndefinedResultException.class, "b", () -> {
                    try (Tensor a = matrix(); Tensor flat = CPU.constant(new int[] {1, 2, 3, 4, 0, 6});
                            Tensor b = flat.reshape(2, 3)) {
                        a.divide(b).close();
                    }
                }),
                bad("int64 divided by the scalar 0", UndefinedResultException.class, "scalar", () -> {
                    try (Tensor a = CPU.fill(DType.INT64, Shape.of(3), 6)) {
                        a.divide(0).close();
                    }
                }),

                // ---- reshape and cast ----
                bad("reshape of 6 elements to 4", ShapeMismatchException.class, "element count", () -> {
                    try (Tensor a = matrix()) {
                        try {
                            a.reshape(4).close();
                        } finally {
                            assertMatrixUnchanged(a);
                        }
                    }
                }),
                bad("reshape with two -1s", ShapeMismatchException.class, "more than one -1", () -> {
                    try (Tensor a = matrix()) {
                        a.reshape(-1, -1).close();
                    }
                }),
                bad("reshape with -1 that does not divide", ShapeMismatchException.class, "[-1, 4]", () -> {
                    try (Tensor a = matrix()) {
                        a.reshape(-1, 4).close();
                    }
                }),
                bad("reshape with a negative dimension other than -1", IllegalArgumentException.class, "dims[1]",
                        () -> {
                            try (Tensor a = matrix()) {
                                a.reshape(2, -3).close();
                            }
                        }),
                bad("reshape whose dimensions multiply past Long.MAX_VALUE", ShapeMismatchException.class,
                        "cannot reshape", () -> {
                            try (Tensor a = matrix()) {
                                a.reshape(1L << 40, 1L << 40).close();
                            }
                        }),
                bad("sum over the empty axis of [0, 2^40, 2^40]", CapacityException.class, "the result of sum", () -> {
                    try (Tensor empty = CPU.zeros(DType.FLOAT32, Shape.of(0, 1L << 40, 1L << 40))) {
                        empty.sum(0).close();
                    }
                }),
                bad("transpose with a null permutation", NullPointerException.class, "call transpose()", () -> {
                    try (Tensor a = matrix()) {
                        a.transpose((int[]) null).close();
                    }
                }),
                bad("reshape with null dims", NullPointerException.class, "dims", () -> {
                    try (Tensor a = matrix()) {
                        a.reshape((long[]) null).close();
                    }
                }),
                bad("cast to a null dtype", NullPointerException.class, "dtype", () -> {
                    try (Tensor a = matrix()) {
                        a.cast(null).close();
                    }
                }),

                // ---- closed tensors ----
                bad("add with a closed a", ClosedResourceException.class, "a (int32[2, 3]", () -> {
                    try (Tensor a = closed(matrix()); Tensor b = matrix()) {
                        CPU.add(a, b).close();
                    }
                }),
                bad("add with a closed b", ClosedResourceException.class, "b (int32[2, 3]", () -> {
                    try (Tensor a = matrix(); Tensor b = closed(matrix())) {
                        a.add(b).close();
                    }
                }),
                bad("add of a scalar to a closed tensor", ClosedResourceException.class, "a (", () -> {
                    try (Tensor a = closed(matrix())) {
                        a.add(1).close();
                    }
                }),
                bad("matmul with a closed b", ClosedResourceException.class, "b (", () -> {
                    try (Tensor a = CPU.ones(DType.FLOAT32, Shape.of(2, 2));
                            Tensor b = closed(CPU.ones(DType.FLOAT32, Shape.of(2, 2)))) {
                        a.matmul(b).close();
                    }
                }),
                bad("reshape of a closed tensor", ClosedResourceException.class, "a (", () -> {
                    try (Tensor a = closed(matrix())) {
                        a.reshape(3, 2).close();
                    }
                }),
                bad("cast of a closed tensor", ClosedResourceException.class, "a (", () -> {
                    try (Tensor a = closed(matrix())) {
                        a.cast(DType.FLOAT32).close();
                    }
                }),
                bad("toHost(ALWAYS) of a closed tensor", ClosedResourceException.class, "this tensor", () -> {
                    try (Tensor a = closed(matrix())) {
                        a.toHost(CopyPolicy.ALWAYS).close();
                    }
                }),
                bad("toHost(NEVER, WRITABLE) of a closed tensor", ClosedResourceException.class, "this tensor", () -> {
                    try (Tensor a = closed(matrix())) {
                        a.toHost(CopyPolicy.NEVER, Access.WRITABLE).close();
                    }
                }),

                // ---- closed host arrays ----
                bad("getInt on a closed shared view", ClosedResourceException.class, "host array", () -> {
                    try (Tensor t = matrix(); HostArray h = closed(t.toHost())) {
                        h.getInt(0, 0);
                    }
                }),
                bad("asByteBuffer on a closed copy", ClosedResourceException.class, "host array", () -> {
                    try (Tensor t = matrix(); HostArray h = closed(t.toHost(CopyPolicy.ALWAYS))) {
                        h.asByteBuffer();
                    }
                }),
                bad("toIntArray on a closed view", ClosedResourceException.class, "host array", () -> {
                    try (Tensor t = matrix(); HostArray h = closed(t.toHost())) {
                        h.toIntArray();
                    }
                }),
                bad("convertToDoubleArray on a closed view", ClosedResourceException.class, "host array", () -> {
                    try (Tensor t = matrix(); HostArray h = closed(t.toHost())) {
                        h.convertToDoubleArray();
                    }
                }),
                bad("formatValues on a closed view", ClosedResourceException.class, "host array", () -> {
                    try (Tensor t = matrix(); HostArray h = closed(t.toHost())) {
                        h.formatValues();
                    }
                }),
                bad("setInt on a closed writable view", ClosedResourceException.class, "host array", () -> {
                    try (Tensor t = matrix(); HostArray h = closed(t.toHost(CopyPolicy.NEVER, Access.WRITABLE))) {
                        h.setInt(99, 0, 0);
                    }
                }),

                // ---- null and foreign operands ----
                bad("add with a null b", NullPointerException.class, "b", () -> {
                    try (Tensor a = matrix()) {
                        a.add((Tensor) null).close();
                    }
                }),
                bad("matmul with a null a", NullPointerException.class, "a", () -> {
                    try (Tensor b = CPU.ones(DType.FLOAT32, Shape.of(2, 2))) {
                        CPU.matmul((Tensor) null, b).close();
                    }
                }),
                bad("add with a b of another backend", IllegalArgumentException.class, "b is a tensor of backend",
                        () -> {
                            try (Tensor a = matrix()) {
                                CPU.add(a, foreignTensor()).close();
                            }
                        }),
                bad("matmul with an a of another backend", IllegalArgumentException.class, "a is a tensor of backend",
                        () -> {
                            try (Tensor b = CPU.ones(DType.INT32, Shape.of(2, 2))) {
                                CPU.matmul(foreignTensor(), b).close();
                            }
                        }),

                // ---- discovery ----
                bad("unknown backend name", BackendUnavailableException.class, "nosuchbackend",
                        () -> Backends.get("nosuchbackend")),
                bad("blank backend name", IllegalArgumentException.class, "name", () -> Backends.get(" ")),
                bad("null backend name", IllegalArgumentException.class, "name", () -> Backends.get(null)),

                // ---- sparse tensors ----
                bad("sparse index beyond the dense shape", SparseIndexException.class, "indices[0, 1]",
                        () -> CPU.sparseCoo(new long[][] {{0, 9}}, new float[] {1}, 2, 3).close()),
                bad("negative sparse index", SparseIndexException.class, "-1",
                        () -> CPU.sparseCoo(new long[][] {{-1, 0}}, new float[] {1}, 2, 3).close()),
                bad("int32 sparse indices", DTypeMismatchException.class, "indices", () -> {
                    try (Tensor i = CPU.constant(new int[] {0, 0}, 1, 2); Tensor v = CPU.constant(new float[] {1})) {
                        CPU.sparseCoo(i, v, Shape.of(2, 3)).close();
                    }
                }),
                bad("sparse indices of the wrong rank", ShapeMismatchException.class, "indices", () -> {
                    try (Tensor i = CPU.constant(new long[] {0, 0, 0}, 1, 3); Tensor v = CPU.constant(new float[] {1})) {
                        CPU.sparseCoo(i, v, Shape.of(2, 3)).close();
                    }
                }),
                bad("more sparse values than indices", ShapeMismatchException.class, "values", () -> {
                    try (Tensor i = CPU.constant(new long[] {0, 0}, 1, 2); Tensor v = CPU.constant(new float[] {1, 2})) {
                        CPU.sparseCoo(i, v, Shape.of(2, 3)).close();
                    }
                }),
                bad("a sparse index row of the wrong length", ShapeMismatchException.class, "indices[1]",
                        () -> CPU.sparseCoo(new long[][] {{0, 0}, {1}}, new float[] {1, 2}, 2, 3).close()),
                bad("null sparse indices", NullPointerException.class, "indices",
                        () -> CPU.sparseCoo((long[][]) null, new float[] {1}, 2, 3).close()),
                bad("decreasing CSR indptr", MalformedSparseException.class, "indptr[2]",
                        () -> CPU.sparseCsr(new long[] {0, 2, 1}, new long[] {0, 1}, new float[] {1, 2}, 2, 3).close()),
                bad("CSR indptr not starting at 0", MalformedSparseException.class, "indptr[0]",
                        () -> CPU.sparseCsr(new long[] {1, 1, 2}, new long[] {0, 1}, new float[] {1, 2}, 2, 3).close()),
                bad("CSR column beyond the matrix", SparseIndexException.class, "columns[1]",
                        () -> CPU.sparseCsr(new long[] {0, 1, 2}, new long[] {0, 7}, new float[] {1, 2}, 2, 3).close()),
                bad("CSR with a rank-3 dense shape", ShapeMismatchException.class, "denseShape", () -> {
                    try (Tensor p = CPU.constant(new long[] {0, 0, 0}); Tensor c = CPU.constant(new long[0]);
                            Tensor v = CPU.constant(new float[0])) {
                        CPU.sparseCsr(p, c, v, Shape.of(2, 2, 2)).close();
                    }
                }),
                bad("toDense past its limit", org.tensorbridge.DenseSizeLimitException.class, "maxElements", () -> {
                    try (var s = CPU.sparseCoo(new long[][] {{0, 0}}, new float[] {1}, 1000, 1000)) {
                        s.toDense(10).close();
                    }
                }),
                bad("toDense with a negative limit", IllegalArgumentException.class, "maxElements", () -> {
                    try (var s = CPU.sparseCoo(new long[][] {{0, 0}}, new float[] {1}, 2, 2)) {
                        s.toDense(-1).close();
                    }
                }),
                bad("sparse matmul with mismatched inner sizes", ShapeMismatchException.class, "matmul", () -> {
                    try (var s = CPU.sparseCoo(new long[][] {{0, 0}}, new float[] {1}, 2, 3);
                            Tensor d = CPU.ones(DType.FLOAT32, Shape.of(2, 2))) {
                        s.matmul(d).close();
                    }
                }),
                bad("sparse add of different dense shapes", ShapeMismatchException.class, "add", () -> {
                    try (var a = CPU.sparseCoo(new long[][] {{0, 0}}, new float[] {1}, 2, 3);
                            var b = CPU.sparseCoo(new long[][] {{0, 0}}, new float[] {1}, 3, 2)) {
                        a.add(b).close();
                    }
                }),
                bad("sparse add of different dtypes", DTypeMismatchException.class, "add", () -> {
                    try (var a = CPU.sparseCoo(new long[][] {{0, 0}}, new float[] {1}, 2, 3);
                            var b = CPU.sparseCoo(new long[][] {{0, 0}}, new double[] {1}, 2, 3)) {
                        a.add(b).close();
                    }
                }),
                bad("int32 sparse times 1.5", DTypeMismatchException.class, "scalar", () -> {
                    try (var a = CPU.sparseCoo(new long[][] {{0, 0}}, new int[] {1}, 2, 3)) {
                        a.multiply(1.5).close();
                    }
                }),
                bad("transpose of a rank-3 sparse tensor", ShapeMismatchException.class, "transpose", () -> {
                    try (var a = CPU.sparseCoo(new long[][] {{0, 0, 0}}, new float[] {1}, 2, 2, 2)) {
                        a.transpose().close();
                    }
                }),
                bad("sparse sum along a missing axis", IllegalArgumentException.class, "axis", () -> {
                    try (var a = CPU.sparseCoo(new long[][] {{0, 0}}, new float[] {1}, 2, 3)) {
                        a.sum(2).close();
                    }
                }),
                bad("toSparseValue of a closed sparse tensor", ClosedResourceException.class, "closed",
                        () -> closed(CPU.sparseCoo(new long[][] {{0, 0}}, new float[] {1}, 2, 3)).toSparseValue()),
                bad("CSR of a rank-3 sparse value", ShapeMismatchException.class, "toCsr", () -> {
                    try (var a = CPU.sparseCoo(new long[][] {{0, 0, 0}}, new float[] {1}, 2, 2, 2);
                            var v = a.toSparseValue()) {
                        v.toCsr().close();
                    }
                }),

                // ---- graphs and sessions ----
                bad("a placeholder name used twice", IllegalArgumentException.class, "'x'", () -> {
                    try (var g = CPU.newGraph()) {
                        g.placeholder("x", DType.FLOAT32, 2);
                        g.placeholder("x", DType.FLOAT32, 2);
                    }
                }),
                bad("a placeholder dimension below -1", IllegalArgumentException.class, "dims[0]", () -> {
                    try (var g = CPU.newGraph()) {
                        g.placeholder("x", DType.FLOAT32, -2);
                    }
                }),
                bad("nodes of two graphs in one operation", IllegalArgumentException.class, "another graph", () -> {
                    try (var g = CPU.newGraph(); var h = CPU.newGraph()) {
                        g.placeholder("x", DType.FLOAT32, 2).add(h.placeholder("y", DType.FLOAT32, 2));
                    }
                }),
                bad("float32 symbol plus int32 symbol", DTypeMismatchException.class, "cast", () -> {
                    try (var g = CPU.newGraph()) {
                        g.placeholder("x", DType.FLOAT32, 2).add(g.placeholder("y", DType.INT32, 2));
                    }
                }),
                bad("symbols that cannot broadcast", ShapeMismatchException.class, "[2, 3]", () -> {
                    try (var g = CPU.newGraph()) {
                        g.placeholder("x", DType.FLOAT32, 2, 3).add(g.placeholder("y", DType.FLOAT32, 4));
                    }
                }),
                bad("a run without a needed feed", IllegalArgumentException.class, "'x'", () -> {
                    try (var g = CPU.newGraph(); var s = g.newSession()) {
                        s.run(g.placeholder("x", DType.FLOAT32, 2).add(1)).close();
                    }
                }),
                bad("a feed of the wrong dtype", DTypeMismatchException.class, "'x'", () -> {
                    try (var g = CPU.newGraph(); var s = g.newSession()) {
                        var x = g.placeholder("x", DType.FLOAT32, 2);
                        s.run(x.add(1), java.util.Map.of(x, new int[] {1, 2})).close();
                    }
                }),
                bad("a feed of the wrong shape", ShapeMismatchException.class, "'x'", () -> {
                    try (var g = CPU.newGraph(); var s = g.newSession()) {
                        var x = g.placeholder("x", DType.FLOAT32, 2);
                        s.run(x.add(1), java.util.Map.of(x, new float[] {1, 2, 3})).close();
                    }
                }),
                bad("a String fed to a placeholder", IllegalArgumentException.class, "HostArray", () -> {
                    try (var g = CPU.newGraph(); var s = g.newSession()) {
                        var x = g.placeholder("x", DType.FLOAT32, 2);
                        s.run(x.add(1), java.util.Map.of(x, "1, 2")).close();
                    }
                }),
                bad("a feed for an operation node", IllegalArgumentException.class, "placeholder", () -> {
                    try (var g = CPU.newGraph(); var s = g.newSession()) {
                        var y = g.scalar(DType.FLOAT32, 1).add(1);
                        s.run(y, java.util.Map.of(y, new float[] {1})).close();
                    }
                }),
                bad("eval without a default session", org.tensorbridge.NoDefaultSessionException.class,
                        "eval(session)", () -> {
                            try (var g = CPU.newGraph()) {
                                g.scalar(DType.FLOAT32, 1).eval().close();
                            }
                        }),
                bad("a run on a closed session", ClosedResourceException.class, "newSession", () -> {
                    try (var g = CPU.newGraph()) {
                        var y = g.scalar(DType.FLOAT32, 1);
                        closed(g.newSession()).run(y).close();
                    }
                }),
                bad("a run on a closed graph", ClosedResourceException.class, "newGraph", () -> {
                    var g = CPU.newGraph();
                    try (var s = g.newSession()) {
                        var y = g.scalar(DType.FLOAT32, 1);
                        g.close();
                        s.run(y).close();
                    }
                }),
                bad("a null fetch", NullPointerException.class, "fetch", () -> {
                    try (var g = CPU.newGraph(); var s = g.newSession()) {
                        s.run((org.tensorbridge.Symbol) null).close();
                    }
                }),
                bad("null feeds", NullPointerException.class, "feeds", () -> {
                    try (var g = CPU.newGraph(); var s = g.newSession()) {
                        s.run(g.scalar(DType.FLOAT32, 1), null).close();
                    }
                }),
                bad("constantOf a String", IllegalArgumentException.class, "data", () -> CPU.constantOf("[1, 2]").close()));
    }

    // ---- helpers ----

    private static Arguments bad(String description, Class<? extends Throwable> type, String named, Executable call) {
        return Arguments.of(Named.of(description, new Case(type, named, call)));
    }

    /** int32 [[1, 2, 3], [4, 5, 6]]. */
    private static Tensor matrix() {
        return CPU.constant(new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
    }

    private static void assertMatrixUnchanged(Tensor t) {
        assertFalse(t.isClosed());
        try (HostArray copy = t.toHost(CopyPolicy.ALWAYS)) {
            assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, copy.toIntArray());
        }
    }

    private static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    /** A read-only view of a direct buffer; such views start BIG_ENDIAN, so the order is set again. */
    private static ByteBuffer readOnlyDirect(int bytes) {
        return direct(bytes).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    private static void assertPositionAndLimit(ByteBuffer data, int position, int limit) {
        assertEquals(position, data.position(), "the caller's buffer position changed");
        assertEquals(limit, data.limit(), "the caller's buffer limit changed");
    }

    private static <T extends AutoCloseable> T closed(T resource) throws Exception {
        resource.close();
        return resource;
    }

    /** A float32 [2] tensor of a backend named "elsewhere", which the cpu backend must refuse. */
    private static Tensor foreignTensor() {
        Backend elsewhere = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> "elsewhere";
                    case "toString" -> "Backend(elsewhere)";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (Tensor) Proxy.newProxyInstance(Tensor.class.getClassLoader(), new Class<?>[] {Tensor.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "backend" -> elsewhere;
                    case "dtype" -> DType.FLOAT32;
                    case "shape" -> Shape.of(2);
                    case "isClosed" -> false;
                    case "close" -> null;
                    case "toString" -> "Tensor(elsewhere " + Arrays.toString(args) + ")";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
