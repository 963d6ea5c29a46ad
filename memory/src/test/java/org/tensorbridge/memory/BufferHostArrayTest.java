package org.tensorbridge.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.Device;
import org.tensorbridge.HostArray;
import org.tensorbridge.ReadOnlyException;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;

/**
 * BufferHostArray against the HostArray contract: strict typed access in native byte order, index
 * checks, read-only enforcement, bulk copies, formatting, and a lifetime that releases the storage
 * reference exactly once. Expected bytes are written and read through an independent native-order
 * ByteBuffer, and half-precision bits are literal constants, not computed by the code under test.
 */
class BufferHostArrayTest {
    private static final Device CPU = Device.cpu("test cpu");

    private final MemoryLedger ledger = new MemoryLedger("buffer host array test");
    private final List<HostStorage> storages = new ArrayList<>();

    /** Every test must leave nothing allocated: each array closed, each extra reference released. */
    @AfterEach
    void everyStorageIsReleased() {
        for (HostStorage s : storages) {
            assertTrue(s.isReleased(), "a test left a storage reference unreleased: " + s.referenceCount());
        }
        assertEquals(0, ledger.liveBlocks(), ledger.toString());
        assertEquals(List.of(), ledger.leaks());
    }

    // ---- helpers ----

    private HostStorage storage(long bytes) {
        HostStorage s = HostStorage.allocate(bytes, ledger);
        storages.add(s);
        return s;
    }

    private BufferHostArray writable(DType dtype, long... dims) {
        Shape shape = Shape.of(dims);
        return new BufferHostArray(storage(shape.elementCount() * dtype.byteWidth()), dtype, shape, CPU,
                Sharing.INDEPENDENT, 0, false);
    }

    /** A read-only array over storage whose bytes {@code fill} wrote first (native order). */
    private BufferHostArray readOnly(DType dtype, Consumer<ByteBuffer> fill, long... dims) {
        Shape shape = Shape.of(dims);
        HostStorage s = storage(shape.elementCount() * dtype.byteWidth());
        fill.accept(s.buffer());
        return new BufferHostArray(s, dtype, shape, CPU, Sharing.SHARED, 0, true);
    }

    /** An independent view of an array's bytes, native order, that does not go through the array. */
    private static ByteBuffer bytes(HostArray array) {
        return array.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    private static void assertAllZero(HostArray array) {
        ByteBuffer b = bytes(array);
        for (int i = 0; i < b.limit(); i++) {
            assertEquals(0, b.get(i), "byte " + i + " must be unchanged (0)");
        }
    }

    private static <T extends Throwable> T assertThrowsNaming(Class<T> type, Executable call, String... words) {
        T e = assertThrows(type, call);
        assertSame(type, e.getClass(), "exact exception type");
        for (String word : words) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(word),
                    "message should name '" + word + "': " + e.getMessage());
        }
        return e;
    }

    /** One strict accessor of HostArray and the dtypes it accepts; called on an array of shape [2]. */
    private record Accessor(String name, Set<DType> accepted, Consumer<HostArray> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Set<DType> BOOL = EnumSet.of(DType.BOOL);
    private static final Set<DType> BYTES = EnumSet.of(DType.INT8, DType.UINT8);
    private static final Set<DType> SHORTS = EnumSet.of(DType.INT16);
    private static final Set<DType> INTS = EnumSet.of(DType.INT32);
    private static final Set<DType> LONGS = EnumSet.of(DType.INT64);
    private static final Set<DType> FLOATS = EnumSet.of(DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16);
    private static final Set<DType> DOUBLES = EnumSet.of(DType.FLOAT64);

    private static List<Accessor> getters() {
        return List.of(
                new Accessor("getBoolean", BOOL, a -> a.getBoolean(1)),
                new Accessor("getByte", BYTES, a -> a.getByte(1)),
                new Accessor("getShort", SHORTS, a -> a.getShort(1)),
                new Accessor("getInt", INTS, a -> a.getInt(1)),
                new Accessor("getLong", LONGS, a -> a.getLong(1)),
                new Accessor("getFloat", FLOATS, a -> a.getFloat(1)),
                new Accessor("getDouble", DOUBLES, a -> a.getDouble(1)));
    }

    private static List<Accessor> setters() {
        return List.of(
                new Accessor("setBoolean", BOOL, a -> a.setBoolean(true, 1)),
                new Accessor("setByte", BYTES, a -> a.setByte((byte) 9, 1)),
                new Accessor("setShort", SHORTS, a -> a.setShort((short) 9, 1)),
                new Accessor("setInt", INTS, a -> a.setInt(9, 1)),
                new Accessor("setLong", LONGS, a -> a.setLong(9, 1)),
                new Accessor("setFloat", FLOATS, a -> a.setFloat(9, 1)),
                new Accessor("setDouble", DOUBLES, a -> a.setDouble(9, 1)));
    }

    private static List<Accessor> bulk() {
        return List.of(
                new Accessor("copyTo(boolean[])", BOOL, a -> a.copyTo(new boolean[2])),
                new Accessor("copyTo(byte[])", BYTES, a -> a.copyTo(new byte[2])),
                new Accessor("copyTo(short[])", SHORTS, a -> a.copyTo(new short[2])),
                new Accessor("copyTo(int[])", INTS, a -> a.copyTo(new int[2])),
                new Accessor("copyTo(long[])", LONGS, a -> a.copyTo(new long[2])),
                new Accessor("copyTo(float[])", FLOATS, a -> a.copyTo(new float[2])),
                new Accessor("copyTo(double[])", DOUBLES, a -> a.copyTo(new double[2])),
                new Accessor("toBooleanArray", BOOL, HostArray::toBooleanArray),
                new Accessor("toByteArray", BYTES, HostArray::toByteArray),
                new Accessor("toShortArray", SHORTS, HostArray::toShortArray),
                new Accessor("toIntArray", INTS, HostArray::toIntArray),
                new Accessor("toLongArray", LONGS, HostArray::toLongArray),
                new Accessor("toFloatArray", FLOATS, HostArray::toFloatArray),
                new Accessor("toDoubleArray", DOUBLES, HostArray::toDoubleArray));
    }

    private static List<Accessor> allStrict() {
        List<Accessor> all = new ArrayList<>(getters());
        all.addAll(setters());
        all.addAll(bulk());
        return all;
    }

    // ---- what the array reports ----

    @Test
    void reportsWhatItWasCreatedWith() {
        HostStorage s = storage(24);
        try (BufferHostArray a = new BufferHostArray(s, DType.INT32, Shape.of(2, 3), CPU, Sharing.SHARED, 0, true)) {
            assertEquals(DType.INT32, a.dtype());
            assertEquals(Shape.of(2, 3), a.shape());
            assertArrayEquals(new long[] {3, 1}, a.strides());
            assertSame(CPU, a.sourceDevice());
            assertEquals(Sharing.SHARED, a.sharing());
            assertEquals(0, a.bytesCopied());
            assertTrue(a.isReadOnly());
            assertEquals(24, a.byteSize());
            a.strides()[0] = 99;
            assertArrayEquals(new long[] {3, 1}, a.strides(), "strides() must return a copy");
        }
        try (BufferHostArray a = new BufferHostArray(storage(8), DType.FLOAT64, Shape.scalar(), CPU,
                Sharing.INDEPENDENT, 8, false)) {
            assertEquals(Sharing.INDEPENDENT, a.sharing());
            assertEquals(8, a.bytesCopied());
            assertFalse(a.isReadOnly());
            assertArrayEquals(new long[0], a.strides());
        }
    }

    // ---- typed element access, every dtype ----

    @Test
    void boolElementsAreOneByteZeroOrOne() {
        try (BufferHostArray a = writable(DType.BOOL, 3)) {
            a.setBoolean(true, 1);
            a.setBoolean(false, 2);
            assertFalse(a.getBoolean(0));
            assertTrue(a.getBoolean(1));
            assertFalse(a.getBoolean(2));
            assertEquals(1, bytes(a).get(1));
            assertEquals(0, bytes(a).get(2));
            bytes(a).put(2, (byte) 7);
            assertTrue(a.getBoolean(2), "any non-zero byte reads as true");
            a.setBoolean(false, 2);
            assertEquals(0, bytes(a).get(2));
        }
    }

    @Test
    void int8AndUint8ElementsAreRawBytes() {
        try (BufferHostArray a = writable(DType.INT8, 2)) {
            a.setByte((byte) -5, 1);
            assertEquals((byte) -5, a.getByte(1));
            assertEquals((byte) -5, bytes(a).get(1));
            assertEquals(-5.0, a.getAsDouble(1));
        }
        try (BufferHostArray a = writable(DType.UINT8, 2)) {
            a.setByte((byte) 200, 0);
            assertEquals((byte) 200, a.getByte(0), "getByte returns the raw bits of a uint8");
            assertEquals((byte) 200, bytes(a).get(0));
            assertEquals(200.0, a.getAsDouble(0), "getAsDouble reads uint8 as 0 to 255");
        }
    }

    @Test
    void int16Int32Int64ElementsAreNativeOrder() {
        try (BufferHostArray a = writable(DType.INT16, 2)) {
            a.setShort((short) 0x1234, 1);
            assertEquals((short) 0x1234, a.getShort(1));
            assertEquals((short) 0x1234, bytes(a).getShort(2));
            bytes(a).putShort(0, Short.MIN_VALUE);
            assertEquals(Short.MIN_VALUE, a.getShort(0));
        }
        try (BufferHostArray a = writable(DType.INT32, 2, 3)) {
            a.setInt(0x01020304, 1, 2);
            assertEquals(0x01020304, a.getInt(1, 2));
            assertEquals(0x01020304, bytes(a).getInt(5 * 4), "[1, 2] of [2, 3] is element 5, row-major");
            bytes(a).putInt(1 * 4, -7);
            assertEquals(-7, a.getInt(0, 1));
        }
        try (BufferHostArray a = writable(DType.INT64, 2)) {
            a.setLong(Long.MIN_VALUE + 3, 1);
            assertEquals(Long.MIN_VALUE + 3, a.getLong(1));
            assertEquals(Long.MIN_VALUE + 3, bytes(a).getLong(8));
        }
    }

    @Test
    void float32AndFloat64ElementsAreNativeOrder() {
        try (BufferHostArray a = writable(DType.FLOAT32, 2)) {
            a.setFloat(-2.75f, 1);
            assertEquals(-2.75f, a.getFloat(1));
            assertEquals(-2.75f, bytes(a).getFloat(4));
            a.setFloat(Float.NaN, 0);
            assertTrue(Float.isNaN(a.getFloat(0)));
        }
        try (BufferHostArray a = writable(DType.FLOAT64, 2)) {
            a.setDouble(Math.PI, 1);
            assertEquals(Math.PI, a.getDouble(1));
            assertEquals(Math.PI, bytes(a).getDouble(8));
            assertEquals(Math.PI, a.getAsDouble(1));
        }
    }

    @Test
    void float16ElementsGoThroughGetFloatAndSetFloatAsBinary16Bits() {
        try (BufferHostArray a = writable(DType.FLOAT16, 3)) {
            a.setFloat(1.5f, 0);
            assertEquals((short) 0x3e00, bytes(a).getShort(0));
            assertEquals(1.5f, a.getFloat(0));
            a.setFloat(0.1f, 1);
            assertEquals((short) 0x2e66, bytes(a).getShort(2), "0.1 rounds to the nearest half, 0x2e66");
            assertEquals(0.0999755859375f, a.getFloat(1));
            a.setFloat(1e6f, 2);
            assertEquals((short) 0x7c00, bytes(a).getShort(4), "beyond the half range is +infinity");
            assertEquals(Float.POSITIVE_INFINITY, a.getFloat(2));
            bytes(a).putShort(2, (short) 0xc000);
            assertEquals(-2.0f, a.getFloat(1));
        }
    }

    @Test
    void bfloat16ElementsGoThroughGetFloatAndSetFloatAsUpperHalfOfBinary32() {
        try (BufferHostArray a = writable(DType.BFLOAT16, 3)) {
            a.setFloat(1.5f, 0);
            assertEquals((short) 0x3fc0, bytes(a).getShort(0));
            assertEquals(1.5f, a.getFloat(0));
            a.setFloat(1.01171875f, 1); // 0x3f818000: a tie, rounds to the even 0x3f82
            assertEquals((short) 0x3f82, bytes(a).getShort(2));
            assertEquals(1.015625f, a.getFloat(1));
            a.setFloat(1.00390625f, 2); // 0x3f808000: a tie, rounds to the even 0x3f80
            assertEquals((short) 0x3f80, bytes(a).getShort(4));
            assertEquals(1.0f, a.getFloat(2));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void getAsDoubleReadsEveryDType(DType dtype) {
        try (BufferHostArray a = writable(dtype, 2)) {
            writeOne(a, 1);
            assertEquals(0.0, a.getAsDouble(0));
            assertEquals(1.0, a.getAsDouble(1));
        }
    }

    /** Writes the value 1 at [index] with the accessor of the array's dtype. */
    private static void writeOne(HostArray a, long index) {
        switch (a.dtype()) {
            case BOOL -> a.setBoolean(true, index);
            case INT8, UINT8 -> a.setByte((byte) 1, index);
            case INT16 -> a.setShort((short) 1, index);
            case INT32 -> a.setInt(1, index);
            case INT64 -> a.setLong(1, index);
            case FLOAT16, BFLOAT16, FLOAT32 -> a.setFloat(1, index);
            case FLOAT64 -> a.setDouble(1, index);
            default -> throw new AssertionError(a.dtype());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyAccessorForAnotherDTypeThrowsDTypeMismatchNamingBothDTypes(DType dtype) {
        try (BufferHostArray a = writable(dtype, 2)) {
            int checked = 0;
            for (Accessor accessor : allStrict()) {
                if (accessor.accepted().contains(dtype)) {
                    continue;
                }
                List<String> words = new ArrayList<>(List.of("this array is " + dtype.displayName()));
                accessor.accepted().forEach(d -> words.add(d.displayName()));
                assertThrowsNaming(DTypeMismatchException.class, () -> accessor.call().accept(a),
                        words.toArray(String[]::new));
                checked++;
            }
            assertTrue(checked >= 12, "checked " + checked);
            assertAllZero(a);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyAccessorForItsOwnDTypeWorks(DType dtype) {
        try (BufferHostArray a = writable(dtype, 2)) {
            for (Accessor accessor : allStrict()) {
                if (accessor.accepted().contains(dtype)) {
                    accessor.call().accept(a);
                }
            }
            assertEquals(0.0, a.getAsDouble(0), "only element 1 was written");
            assertTrue(a.getAsDouble(1) != 0.0, "the setter wrote element 1");
        }
    }

    // ---- indices ----

    @Test
    void indexOfTheWrongRankThrowsIndexOutOfBoundsNamingIndex() {
        try (BufferHostArray a = writable(DType.INT32, 2, 2)) {
            for (long[] index : new long[][] {{}, {0}, {0, 0, 0}}) {
                assertThrowsNaming(IndexOutOfBoundsException.class, () -> a.getInt(index),
                        "index " + Arrays.toString(index), "rank 2");
                assertThrowsNaming(IndexOutOfBoundsException.class, () -> a.setInt(5, index), "index");
                assertThrowsNaming(IndexOutOfBoundsException.class, () -> a.getAsDouble(index), "index");
            }
            assertThrowsNaming(IndexOutOfBoundsException.class, () -> a.getInt((long[]) null), "index");
            assertAllZero(a);
        }
        try (BufferHostArray scalar = writable(DType.FLOAT64)) {
            scalar.setDouble(4.5);
            assertEquals(4.5, scalar.getDouble());
            assertThrowsNaming(IndexOutOfBoundsException.class, () -> scalar.getDouble(0), "index [0]", "rank 0");
        }
    }

    @Test
    void indexOutOfRangeThrowsIndexOutOfBoundsNamingIndexAndAxis() {
        try (BufferHostArray a = writable(DType.INT32, 2, 3)) {
            assertThrowsNaming(IndexOutOfBoundsException.class, () -> a.getInt(2, 0), "index [2, 0]", "axis 0");
            assertThrowsNaming(IndexOutOfBoundsException.class, () -> a.getInt(0, 3), "index [0, 3]", "axis 1");
            assertThrowsNaming(IndexOutOfBoundsException.class, () -> a.getInt(0, -1), "index [0, -1]", "axis 1");
            assertThrowsNaming(IndexOutOfBoundsException.class, () -> a.getInt(-1, 0), "index [-1, 0]", "axis 0");
            // [0, 3] would be element 3 = [1, 0] if only the linear offset were checked.
            assertThrowsNaming(IndexOutOfBoundsException.class, () -> a.setInt(1, 0, 3), "index [0, 3]");
            assertThrowsNaming(IndexOutOfBoundsException.class, () -> a.getAsDouble(1, 3), "index [1, 3]");
            assertAllZero(a);
        }
        try (BufferHostArray empty = writable(DType.FLOAT32, 0)) {
            assertThrowsNaming(IndexOutOfBoundsException.class, () -> empty.getFloat(0), "index [0]");
        }
    }

    // ---- read-only ----

    @Test
    void everySetterOfAReadOnlyArrayThrowsReadOnlyAndLeavesTheValue() {
        for (DType dtype : DType.values()) {
            try (BufferHostArray a = readOnly(dtype, b -> { }, 2)) {
                for (Accessor setter : setters()) {
                    if (setter.accepted().contains(dtype)) {
                        assertThrowsNaming(ReadOnlyException.class, () -> setter.call().accept(a), "read-only",
                                "Access.WRITABLE");
                    }
                }
                assertAllZero(a);
            }
        }
    }

    @Test
    void readOnlyArrayStillReads() {
        try (BufferHostArray a = readOnly(DType.INT32, b -> b.putInt(4, 42), 2)) {
            assertThrowsNaming(ReadOnlyException.class, () -> a.setInt(7, 1), "read-only");
            assertEquals(42, a.getInt(1));
            assertArrayEquals(new int[] {0, 42}, a.toIntArray());
        }
    }

    // ---- asByteBuffer ----

    @Test
    void asByteBufferOfAReadOnlyArrayIsReadOnlyDirectNativeOrderAndLimitedToTheElements() {
        HostStorage s = storage(32); // larger than the elements
        s.buffer().putInt(4, 11);
        try (BufferHostArray a = new BufferHostArray(s, DType.INT32, Shape.of(3), CPU, Sharing.SHARED, 0, true)) {
            ByteBuffer b = a.asByteBuffer();
            assertTrue(b.isReadOnly());
            assertTrue(b.isDirect());
            assertEquals(ByteOrder.nativeOrder(), b.order());
            assertEquals(0, b.position());
            assertEquals(12, b.limit());
            assertEquals(a.byteSize(), b.limit());
            assertEquals(11, b.getInt(4));
            assertThrows(ReadOnlyBufferException.class, () -> b.putInt(0, 1));
        }
    }

    @Test
    void asByteBufferIsANewObjectEachCallAndAWritableOneWritesThrough() {
        try (BufferHostArray a = writable(DType.INT32, 2)) {
            ByteBuffer first = a.asByteBuffer();
            ByteBuffer second = a.asByteBuffer();
            assertNotSame(first, second);
            assertFalse(first.isReadOnly());
            assertEquals(ByteOrder.nativeOrder(), first.order());
            first.position(4);
            assertEquals(0, a.asByteBuffer().position(), "positions never interfere");
            first.putInt(0, 123);
            assertEquals(123, a.getInt(0));
            a.setInt(456, 1);
            assertEquals(456, second.getInt(4));
        }
    }

    // ---- bulk copies ----

    @Test
    void copyToAndToArrayForEveryDType() {
        try (BufferHostArray a = writable(DType.BOOL, 3)) {
            a.setBoolean(true, 0);
            a.setBoolean(true, 2);
            boolean[] expected = {true, false, true};
            assertArrayEquals(expected, a.toBooleanArray());
            boolean[] longer = {false, true, false, true};
            a.copyTo(longer);
            assertArrayEquals(new boolean[] {true, false, true, true}, longer, "only the first 3 are written");
        }
        for (DType dtype : BYTES) {
            try (BufferHostArray a = writable(dtype, 3)) {
                bytes(a).put(new byte[] {-1, 2, (byte) 200});
                assertArrayEquals(new byte[] {-1, 2, (byte) 200}, a.toByteArray());
                byte[] longer = {9, 9, 9, 9};
                a.copyTo(longer);
                assertArrayEquals(new byte[] {-1, 2, (byte) 200, 9}, longer);
            }
        }
        try (BufferHostArray a = writable(DType.INT16, 3)) {
            bytes(a).asShortBuffer().put(new short[] {-1, 300, Short.MAX_VALUE});
            assertArrayEquals(new short[] {-1, 300, Short.MAX_VALUE}, a.toShortArray());
            short[] longer = {9, 9, 9, 9};
            a.copyTo(longer);
            assertArrayEquals(new short[] {-1, 300, Short.MAX_VALUE, 9}, longer);
        }
        try (BufferHostArray a = writable(DType.INT32, 2, 2)) {
            bytes(a).asIntBuffer().put(new int[] {1, -2, 3, Integer.MIN_VALUE});
            assertArrayEquals(new int[] {1, -2, 3, Integer.MIN_VALUE}, a.toIntArray());
            int[] longer = new int[5];
            Arrays.fill(longer, 9);
            a.copyTo(longer);
            assertArrayEquals(new int[] {1, -2, 3, Integer.MIN_VALUE, 9}, longer);
        }
        try (BufferHostArray a = writable(DType.INT64, 2)) {
            bytes(a).asLongBuffer().put(new long[] {Long.MAX_VALUE, -3});
            assertArrayEquals(new long[] {Long.MAX_VALUE, -3}, a.toLongArray());
            long[] longer = {9, 9, 9};
            a.copyTo(longer);
            assertArrayEquals(new long[] {Long.MAX_VALUE, -3, 9}, longer);
        }
        try (BufferHostArray a = writable(DType.FLOAT32, 2)) {
            bytes(a).asFloatBuffer().put(new float[] {1.25f, -0.5f});
            assertArrayEquals(new float[] {1.25f, -0.5f}, a.toFloatArray());
            float[] longer = {9, 9, 9};
            a.copyTo(longer);
            assertArrayEquals(new float[] {1.25f, -0.5f, 9}, longer);
        }
        try (BufferHostArray a = writable(DType.FLOAT16, 3)) {
            bytes(a).asShortBuffer().put(new short[] {0x3e00, (short) 0xc000, 0x7c00});
            assertArrayEquals(new float[] {1.5f, -2f, Float.POSITIVE_INFINITY}, a.toFloatArray());
            float[] longer = {9, 9, 9, 9};
            a.copyTo(longer);
            assertArrayEquals(new float[] {1.5f, -2f, Float.POSITIVE_INFINITY, 9}, longer);
        }
        try (BufferHostArray a = writable(DType.BFLOAT16, 3)) {
            bytes(a).asShortBuffer().put(new short[] {0x3fc0, (short) 0xc000, 0x4049});
            assertArrayEquals(new float[] {1.5f, -2f, 3.140625f}, a.toFloatArray());
            float[] longer = {9, 9, 9, 9};
            a.copyTo(longer);
            assertArrayEquals(new float[] {1.5f, -2f, 3.140625f, 9}, longer);
        }
        try (BufferHostArray a = writable(DType.FLOAT64, 2)) {
            bytes(a).asDoubleBuffer().put(new double[] {Math.E, -0.0});
            assertArrayEquals(new double[] {Math.E, -0.0}, a.toDoubleArray());
            double[] longer = {9, 9, 9};
            a.copyTo(longer);
            assertArrayEquals(new double[] {Math.E, -0.0, 9}, longer);
        }
    }

    @Test
    void toArrayIsAFreshCopyNotAView() {
        try (BufferHostArray a = writable(DType.INT32, 2)) {
            int[] copy = a.toIntArray();
            a.setInt(5, 0);
            assertEquals(0, copy[0]);
            copy[1] = 8;
            assertEquals(0, a.getInt(1));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void copyToATooShortArrayThrowsNamingDestinationAndWritesNothing(DType dtype) {
        try (BufferHostArray a = writable(dtype, 3)) {
            for (long i = 0; i < 3; i++) {
                writeOne(a, i);
            }
            Object destination;
            Executable copy;
            switch (dtype) {
                case BOOL -> {
                    boolean[] d = {false, false};
                    destination = d;
                    copy = () -> a.copyTo(d);
                }
                case INT8, UINT8 -> {
                    byte[] d = {7, 7};
                    destination = d;
                    copy = () -> a.copyTo(d);
                }
                case INT16 -> {
                    short[] d = {7, 7};
                    destination = d;
                    copy = () -> a.copyTo(d);
                }
                case INT32 -> {
                    int[] d = {7, 7};
                    destination = d;
                    copy = () -> a.copyTo(d);
                }
                case INT64 -> {
                    long[] d = {7, 7};
                    destination = d;
                    copy = () -> a.copyTo(d);
                }
                case FLOAT16, BFLOAT16, FLOAT32 -> {
                    float[] d = {7, 7};
                    destination = d;
                    copy = () -> a.copyTo(d);
                }
                case FLOAT64 -> {
                    double[] d = {7, 7};
                    destination = d;
                    copy = () -> a.copyTo(d);
                }
                default -> throw new AssertionError(dtype);
            }
            String before = deepToString(destination);
            assertThrowsNaming(IndexOutOfBoundsException.class, copy, "destination has length 2", "3 elements");
            assertEquals(before, deepToString(destination), "the destination must be untouched");
        }
    }

    private static String deepToString(Object array) {
        return Arrays.deepToString(new Object[] {array});
    }

    @Test
    void emptyArraysCopyNothing() {
        try (BufferHostArray a = writable(DType.INT32, 2, 0)) {
            assertArrayEquals(new int[0], a.toIntArray());
            int[] d = {7};
            a.copyTo(d);
            assertArrayEquals(new int[] {7}, d);
            a.copyTo(new int[0]);
            assertArrayEquals(new double[0], a.convertToDoubleArray());
            assertEquals(0, a.asByteBuffer().limit());
        }
    }

    // ---- convertToDoubleArray ----

    @Test
    void convertToDoubleArrayReadsEveryDTypeWithUint8UnsignedAndBoolAsZeroOrOne() {
        try (BufferHostArray a = readOnly(DType.UINT8, b -> b.put(new byte[] {0, 1, (byte) 128, (byte) 255}), 4)) {
            assertArrayEquals(new double[] {0, 1, 128, 255}, a.convertToDoubleArray());
        }
        try (BufferHostArray a = readOnly(DType.INT8, b -> b.put(new byte[] {0, -1, -128, 127}), 4)) {
            assertArrayEquals(new double[] {0, -1, -128, 127}, a.convertToDoubleArray());
        }
        try (BufferHostArray a = readOnly(DType.BOOL, b -> b.put(new byte[] {0, 1, 5, 0}), 4)) {
            assertArrayEquals(new double[] {0, 1, 1, 0}, a.convertToDoubleArray());
        }
        try (BufferHostArray a = readOnly(DType.INT16, b -> b.asShortBuffer().put(new short[] {-300, 7}), 2)) {
            assertArrayEquals(new double[] {-300, 7}, a.convertToDoubleArray());
        }
        try (BufferHostArray a = readOnly(DType.INT32, b -> b.asIntBuffer().put(new int[] {2, 6, 12, 20}), 2, 2)) {
            assertArrayEquals(new double[] {2, 6, 12, 20}, a.convertToDoubleArray());
        }
        try (BufferHostArray a = readOnly(DType.INT64, b -> b.asLongBuffer().put(new long[] {1L << 53, -9}), 2)) {
            assertArrayEquals(new double[] {0x1p53, -9}, a.convertToDoubleArray());
        }
        try (BufferHostArray a = readOnly(DType.FLOAT16, b -> b.asShortBuffer().put(new short[] {0x3e00, 0x2e66}), 2)) {
            assertArrayEquals(new double[] {1.5, 0.0999755859375}, a.convertToDoubleArray());
        }
        try (BufferHostArray a = readOnly(DType.BFLOAT16, b -> b.asShortBuffer().put(new short[] {0x4049, (short) 0xbf80}), 2)) {
            assertArrayEquals(new double[] {3.140625, -1}, a.convertToDoubleArray());
        }
        try (BufferHostArray a = readOnly(DType.FLOAT32, b -> b.asFloatBuffer().put(new float[] {0.1f, -2.5f}), 2)) {
            assertArrayEquals(new double[] {(double) 0.1f, -2.5}, a.convertToDoubleArray());
        }
        try (BufferHostArray a = readOnly(DType.FLOAT64, b -> b.asDoubleBuffer().put(new double[] {0.1, Double.NaN}), 2)) {
            double[] out = a.convertToDoubleArray();
            assertEquals(0.1, out[0]);
            assertTrue(Double.isNaN(out[1]));
        }
    }

    // ---- formatValues ----

    @Test
    void formatValuesPrintsAScalarAsItsValue() {
        try (BufferHostArray a = readOnly(DType.FLOAT32, b -> b.putFloat(0, 2.5f))) {
            assertEquals("2.5", a.formatValues());
        }
        try (BufferHostArray a = readOnly(DType.INT64, b -> b.putLong(0, Long.MAX_VALUE))) {
            assertEquals("9223372036854775807", a.formatValues(), "int64 must print exactly, not through double");
        }
    }

    @Test
    void formatValuesPrintsNestedListsLikeNumPy() {
        try (BufferHostArray a = readOnly(DType.INT32, b -> b.asIntBuffer().put(new int[] {2, 6, 12, 20}), 2, 2)) {
            assertEquals("[[2, 6], [12, 20]]", a.formatValues());
        }
        try (BufferHostArray a = readOnly(DType.INT32, b -> b.asIntBuffer().put(new int[] {1, 2, 3, 4, 5, 6}), 2, 1, 3)) {
            assertEquals("[[[1, 2, 3]], [[4, 5, 6]]]", a.formatValues());
        }
        try (BufferHostArray a = readOnly(DType.UINT8, b -> b.put(new byte[] {(byte) 200, 1}), 2)) {
            assertEquals("[200, 1]", a.formatValues(), "uint8 prints unsigned");
        }
        try (BufferHostArray a = readOnly(DType.FLOAT64, b -> b.asDoubleBuffer().put(new double[] {0.1, -1}), 2)) {
            assertEquals("[0.1, -1.0]", a.formatValues(), "Java's shortest representation");
        }
        try (BufferHostArray a = readOnly(DType.FLOAT16, b -> b.asShortBuffer().put(new short[] {0x3e00}), 1)) {
            assertEquals("[1.5]", a.formatValues());
        }
    }

    @Test
    void formatValuesOfEmptyArraysKeepsTheNesting() {
        try (BufferHostArray a = writable(DType.INT32, 0)) {
            assertEquals("[]", a.formatValues());
        }
        // NumPy: np.zeros((2, 0)).tolist() is [[], []]; one empty list per row.
        try (BufferHostArray a = writable(DType.INT32, 2, 0)) {
            assertEquals("[[], []]", a.formatValues());
        }
        // NumPy: np.zeros((0, 2)).tolist() is [].
        try (BufferHostArray a = writable(DType.INT32, 0, 2)) {
            assertEquals("[]", a.formatValues());
        }
    }

    // ---- lifetime ----

    @Test
    void closeIsIdempotentAndReleasesTheStorageReferenceExactlyOnce() {
        HostStorage s = storage(8);
        s.retain(); // the test's own reference, besides the array's
        BufferHostArray a = new BufferHostArray(s, DType.INT32, Shape.of(2), CPU, Sharing.SHARED, 0, false);
        assertEquals(2, s.referenceCount());
        assertFalse(a.isClosed());

        a.close();
        assertTrue(a.isClosed());
        assertEquals(1, s.referenceCount());
        a.close();
        a.close();
        assertEquals(1, s.referenceCount(), "a second close must not release again");
        assertEquals(1, ledger.liveBlocks());

        s.release();
        assertTrue(s.isReleased());
        assertEquals(0, ledger.liveBlocks());
    }

    @Test
    void closingTheLastHolderFreesTheStorage() {
        HostStorage s = storage(8);
        BufferHostArray a = new BufferHostArray(s, DType.INT64, Shape.of(1), CPU, Sharing.INDEPENDENT, 8, false);
        a.close();
        assertTrue(s.isReleased());
        assertEquals(0, ledger.liveBlocks());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyUseAfterCloseThrowsClosedResourceException(DType dtype) {
        BufferHostArray a = writable(dtype, 2);
        a.close();
        List<Executable> uses = new ArrayList<>(List.of(
                a::asByteBuffer, () -> a.getAsDouble(0), a::convertToDoubleArray, a::formatValues));
        for (Accessor accessor : allStrict()) {
            if (accessor.accepted().contains(dtype)) {
                uses.add(() -> accessor.call().accept(a));
            }
        }
        for (Executable use : uses) {
            assertThrowsNaming(ClosedResourceException.class, use, "host array", "was closed");
        }
        // The descriptive getters still answer.
        assertEquals(dtype, a.dtype());
        assertEquals(Shape.of(2), a.shape());
        assertArrayEquals(new long[] {1}, a.strides());
        assertEquals(CPU, a.sourceDevice());
        assertEquals(Sharing.INDEPENDENT, a.sharing());
        assertEquals(0, a.bytesCopied());
        assertFalse(a.isReadOnly());
        assertTrue(a.isClosed());
        assertTrue(a.toString().endsWith("(closed)"), a.toString());
    }

    /**
     * HostArray: "After close() every method except close, isClosed and the descriptive getters
     * throws ClosedResourceException" — also when the accessor is for another dtype.
     */
    @Test
    void useAfterCloseIsReportedAsClosedEvenThroughAnAccessorOfAnotherDType() {
        BufferHostArray a = writable(DType.INT32, 2);
        a.close();
        List<String> wrong = new ArrayList<>();
        for (Accessor accessor : allStrict()) {
            if (accessor.accepted().contains(DType.INT32)) {
                continue;
            }
            try {
                accessor.call().accept(a);
                wrong.add(accessor + " returned");
            } catch (ClosedResourceException expected) {
                // right
            } catch (RuntimeException e) {
                wrong.add(accessor + " threw " + e.getClass().getSimpleName());
            }
        }
        assertEquals(List.of(), wrong, "every use of a closed array must throw ClosedResourceException");
    }

    @Test
    void readRacingCloseReturnsTheElementOrThrowsClosed() throws InterruptedException {
        for (int trial = 0; trial < 200; trial++) {
            BufferHostArray a = writable(DType.INT32, 64);
            a.setInt(5, 63);
            Thread closer = new Thread(a::close);
            closer.start();
            for (int i = 0; i < 50; i++) {
                try {
                    assertEquals(5, a.getInt(63));
                } catch (ClosedResourceException expected) {
                    break;
                }
            }
            closer.join();
        }
    }

    // ---- construction ----

    @Test
    void constructorRefusesAWritableViewOverReadOnlyStorageNamingReadOnly() {
        HostStorage s = HostStorage.wrap(ByteBuffer.allocateDirect(8).asReadOnlyBuffer(), ledger);
        storages.add(s);
        assertThrowsNaming(IllegalArgumentException.class,
                () -> new BufferHostArray(s, DType.INT32, Shape.of(2), CPU, Sharing.SHARED, 0, false),
                "readOnly is false", "read-only storage");
        assertEquals(1, s.referenceCount(), "a refused construction takes no reference");
        try (BufferHostArray a = new BufferHostArray(s, DType.INT32, Shape.of(2), CPU, Sharing.SHARED, 0, true)) {
            assertTrue(a.isReadOnly());
            assertTrue(a.asByteBuffer().isReadOnly());
        }
    }

    @Test
    void constructorRefusesStorageTooSmallForTheShapeNamingStorage() {
        HostStorage s = storage(7);
        assertThrowsNaming(IllegalArgumentException.class,
                () -> new BufferHostArray(s, DType.INT32, Shape.of(2), CPU, Sharing.SHARED, 0, true),
                "storage holds 7 bytes", "int32[2]", "needs 8");
        s.release();
    }

    @Test
    void constructorRefusesNegativeBytesCopiedNamingBytesCopied() {
        HostStorage s = storage(8);
        assertThrowsNaming(IllegalArgumentException.class,
                () -> new BufferHostArray(s, DType.INT32, Shape.of(2), CPU, Sharing.INDEPENDENT, -1, true),
                "bytesCopied is -1");
        s.release();
    }

    @Test
    void constructorRefusesNullArgumentsNamingThem() {
        HostStorage s = storage(8);
        assertThrowsNaming(NullPointerException.class,
                () -> new BufferHostArray(null, DType.INT32, Shape.of(2), CPU, Sharing.SHARED, 0, true), "storage");
        assertThrowsNaming(NullPointerException.class,
                () -> new BufferHostArray(s, null, Shape.of(2), CPU, Sharing.SHARED, 0, true), "dtype");
        assertThrowsNaming(NullPointerException.class,
                () -> new BufferHostArray(s, DType.INT32, null, CPU, Sharing.SHARED, 0, true), "shape");
        assertThrowsNaming(NullPointerException.class,
                () -> new BufferHostArray(s, DType.INT32, Shape.of(2), null, Sharing.SHARED, 0, true), "sourceDevice");
        assertThrowsNaming(NullPointerException.class,
                () -> new BufferHostArray(s, DType.INT32, Shape.of(2), CPU, null, 0, true), "sharing");
        s.release();
    }
}
