package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.util.MemoryUtil;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;

/**
 * Arrow's {@code Tensor} and {@code SparseTensor} IPC messages: the messages pyarrow 25.0.1 wrote
 * ({@code src/test/resources/org/tensorbridge/arrow/pyarrow-messages/}, by {@code pyarrow_peer.py
 * tensors-write} and {@code sparse-write}) read as pyarrow meant them, zero-copy from a mapped file where
 * the data is row-major; what this module writes reads back; malformed messages are refused. Every case
 * leaves the CPU backend's memory as it found it.
 */
class TensorMessageTest {
    static final Path MESSAGES = Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/resources/org/tensorbridge/arrow/pyarrow-messages").toAbsolutePath();
    private static final Backend CPU = TestMemory.cpu();
    private long liveBefore;

    @BeforeEach
    void recordBackendMemory() {
        liveBefore = TestMemory.liveBytes(CPU);
    }

    static Stream<String> pyarrowTensors() throws IOException {
        List<String> names = new ArrayList<>();
        new ObjectMapper().readTree(MESSAGES.resolve("tensors.json").toFile()).fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pyarrowTensors")
    void pyarrowsTensorMessagesReadAsPyarrowWroteThem(String name) throws IOException {
        readsAsPyarrowWroteIt(MESSAGES, name);
        assertEquals(liveBefore, TestMemory.liveBytes(CPU));
    }

    /** Reads {@code folder/name.tensor} from a map and from a stream and checks it against tensors.json. */
    static void readsAsPyarrowWroteIt(Path folder, String name) throws IOException {
        JsonNode expected = new ObjectMapper().readTree(folder.resolve("tensors.json").toFile()).get(name);
        Path file = folder.resolve(name + ".tensor");
        try (FileChannel channel = FileChannel.open(file)) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            boolean rowMajor = expected.get("row_major").asBoolean();
            if (!rowMajor) {
                assertThrows(CopyRequiredException.class, () -> TensorMessage.read(mapped, CPU, CopyPolicy.NEVER),
                        name + " is strided: sharing it is impossible");
            }
            try (Tensor fromMap = TensorMessage.read(mapped, CPU, rowMajor ? CopyPolicy.NEVER : CopyPolicy.IF_NEEDED);
                    Tensor fromStream = TensorMessage.read(Channels.newChannel(java.nio.file.Files.newInputStream(file)),
                            CPU)) {
                for (Tensor tensor : List.of(fromMap, fromStream)) {
                    check(name, tensor, expected);
                }
                long address = TestMemory.address(fromMap);
                long mappedStart = MemoryUtil.getByteBufferAddress(mapped);
                if (rowMajor && fromMap.shape().elementCount() > 0) {
                    // zero-copy: the tensor is the file's bytes, inside the mapping
                    assertTrue(address >= mappedStart && address < mappedStart + mapped.capacity(),
                            name + " shares the mapped file");
                } else if (fromMap.shape().elementCount() > 0) {
                    assertTrue(address < mappedStart || address >= mappedStart + mapped.capacity(), name + " is a copy");
                }
            }
        }
    }

    private static void check(String name, Tensor tensor, JsonNode expected) {
        DType dtype = DType.valueOf(expected.get("dtype").asText().toUpperCase(java.util.Locale.ROOT));
        assertEquals(dtype, tensor.dtype(), name);
        long[] dims = new long[expected.get("shape").size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = expected.get("shape").get(i).asLong();
        }
        assertEquals(Shape.of(dims), tensor.shape(), name);
        double[] values = new double[expected.get("values").size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = expected.get("values").get(i).asDouble();
        }
        try (HostArray host = tensor.toHost()) {
            assertArrayEquals(values, host.convertToDoubleArray(), name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"coo_int32", "csr", "csc"})
    void sparseTensorMessagesReadAsScipyHasThem(String name) throws IOException {
        try (FileChannel channel = FileChannel.open(MESSAGES.resolve(name + ".sparse"));
                SparseTensor sparse = SparseTensorMessage.read(channel, CPU);
                Tensor dense = sparse.toDense(12);
                HostArray host = dense.toHost()) {
            assertEquals(Shape.of(3, 4), sparse.denseShape());
            assertEquals(4, sparse.nnz());
            assertArrayEquals(new double[] {0, -2.5, 0, 0, 4, 0, 0, 1, 0, 0, 0, 4.5}, host.toDoubleArray(), name);
        }
        assertEquals(liveBefore, TestMemory.liveBytes(CPU));
    }

    @Test
    void whatIsWrittenReadsBackWithItsBytesAndFromADirectBufferWithoutACopy() throws IOException {
        float[] data = {1, 2, 3, 4, 5, 6};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Tensor tensor = CPU.constant(data, 2, 3)) {
            long written = TensorMessage.write(tensor, List.of("rows", "columns"), Channels.newChannel(out));
            assertEquals(out.size(), written);
            assertEquals(0, (8 + ByteBuffer.wrap(out.toByteArray(), 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getInt()) % 64, "the body starts on a 64-byte boundary, as pyarrow writes it");
        }
        ByteBuffer message = ByteBuffer.allocateDirect(out.size()).put(out.toByteArray()).flip();
        try (Tensor back = TensorMessage.read(message, CPU, CopyPolicy.NEVER); HostArray host = back.toHost()) {
            assertArrayEquals(data, host.toFloatArray());
            long address = TestMemory.address(back);
            long start = MemoryUtil.getByteBufferAddress(message);
            assertTrue(address >= start && address < start + message.capacity(), "shares the message's memory");
        }
        try (Tensor copy = TensorMessage.read(message, CPU, CopyPolicy.ALWAYS)) {
            assertNotEquals(MemoryUtil.getByteBufferAddress(message) + out.size() - 24, TestMemory.address(copy));
        }
        ByteBuffer heap = ByteBuffer.wrap(out.toByteArray());
        assertThrows(CopyRequiredException.class, () -> TensorMessage.read(heap, CPU, CopyPolicy.NEVER),
                "a heap buffer cannot be shared");
        assertEquals(liveBefore, TestMemory.liveBytes(CPU));
    }

    @Test
    void sparseValuesRoundTripAsCooAndCsr() throws IOException {
        long[][] indices = {{2, 3}, {0, 1}, {1, 0}};
        try (SparseTensor tensor = CPU.sparseCoo(indices, new double[] {4.5, -2.5, 4}, 3, 4)) {
            for (boolean csr : new boolean[] {false, true}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long written = csr ? SparseTensorMessage.writeCsr(tensor, Channels.newChannel(out))
                        : SparseTensorMessage.writeCoo(tensor, Channels.newChannel(out));
                assertEquals(out.size(), written);
                try (SparseTensor back = SparseTensorMessage.read(ByteBuffer.wrap(out.toByteArray()), CPU);
                        SparseValue value = back.toSparseValue();
                        Tensor dense = back.toDense(12);
                        HostArray host = dense.toHost()) {
                    assertEquals(Shape.of(3, 4), back.denseShape());
                    assertArrayEquals(new double[] {0, -2.5, 0, 0, 4, 0, 0, 0, 0, 0, 0, 4.5}, host.toDoubleArray());
                    if (!csr) {
                        assertArrayEquals(new long[] {2, 3, 0, 1, 1, 0}, value.indices().toLongArray(),
                                "COO keeps the stored order");
                    }
                }
            }
        }
        assertEquals(liveBefore, TestMemory.liveBytes(CPU));
    }

    @Test
    void badTensorsAndMessagesAreRefusedWithCodes() throws IOException {
        try (Tensor brain = CPU.zeros(DType.BFLOAT16, Shape.of(2));
                Tensor matrix = CPU.constant(new float[] {1, 2}, 1, 2);
                SparseTensor cube = CPU.sparseCoo(new long[][] {{0, 0, 0}}, new float[] {1}, 2, 2, 2)) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            assertThrows(UnsupportedDTypeException.class, () -> TensorMessage.write(brain, Channels.newChannel(sink)));
            assertThrows(ArrowLayoutException.class,
                    () -> TensorMessage.write(matrix, List.of("one"), Channels.newChannel(sink)));
            assertThrows(ShapeMismatchException.class, () -> SparseTensorMessage.writeCsr(cube, Channels.newChannel(sink)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TensorMessage.write(matrix, Channels.newChannel(out));
            byte[] good = out.toByteArray();
            Map<String, byte[]> bad = Map.of(
                    "cut", java.util.Arrays.copyOf(good, good.length - 4),
                    "not a message", "not an Arrow message at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    "empty", new byte[0]);
            for (Map.Entry<String, byte[]> input : bad.entrySet()) {
                MalformedIpcException e = assertThrows(MalformedIpcException.class,
                        () -> TensorMessage.read(ByteBuffer.wrap(input.getValue()), CPU, CopyPolicy.IF_NEEDED),
                        input.getKey());
                assertEquals(MalformedIpcException.CODE, e.code());
                assertThrows(MalformedIpcException.class, () -> TensorMessage.read(Channels.newChannel(
                        new java.io.ByteArrayInputStream(input.getValue())), CPU), input.getKey());
            }
            assertThrows(MalformedIpcException.class, () -> SparseTensorMessage.read(ByteBuffer.wrap(good), CPU),
                    "a Tensor message is not a SparseTensor message");
        }
        assertEquals(liveBefore, TestMemory.liveBytes(CPU));
    }

    /**
     * Strides whose reach passes 2^63 bytes are malformed, not wrapped: a wrapped span looked small, so a sparse
     * message read every index from its first bytes, and a dense one failed with a bare IndexOutOfBoundsException.
     */
    @Test
    void stridesThatReachPast2To63BytesAreRefusedAsMalformed() throws IOException {
        ByteArrayOutputStream dense = new ByteArrayOutputStream();
        try (Tensor tensor = CPU.constant(new double[] {1, 2}, 2)) {
            TensorMessage.write(tensor, Channels.newChannel(dense));
        }
        byte[] denseBytes = patchLongVector(dense.toByteArray(), new long[] {8}, 0, Long.MAX_VALUE - 7);
        MalformedIpcException denseRefusal = assertThrows(MalformedIpcException.class,
                () -> TensorMessage.read(ByteBuffer.wrap(denseBytes), CPU, CopyPolicy.IF_NEEDED));
        assertTrue(denseRefusal.getMessage().contains("reaches byte"), denseRefusal.getMessage());

        ByteArrayOutputStream sparse = new ByteArrayOutputStream();
        try (SparseTensor tensor = CPU.sparseCoo(new long[][] {{0}, {2}, {3}, {5}, {9}}, new float[] {1, 2, 3, 4, 5},
                10)) {
            SparseTensorMessage.writeCoo(tensor, Channels.newChannel(sparse));
        }
        byte[] sparseBytes = patchLongVector(sparse.toByteArray(), new long[] {8, 8}, 0, 1L << 62);
        MalformedIpcException sparseRefusal = assertThrows(MalformedIpcException.class,
                () -> SparseTensorMessage.read(ByteBuffer.wrap(sparseBytes), CPU).close());
        assertTrue(sparseRefusal.getMessage().contains("past 2^63 bytes"), sparseRefusal.getMessage());
    }

    /** {@code bytes} with element {@code index} of the one flatbuffer long vector equal to {@code vector} set. */
    private static byte[] patchLongVector(byte[] bytes, long[] vector, int index, long value) {
        ByteBuffer pattern = ByteBuffer.allocate(4 + 8 * vector.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        pattern.putInt(vector.length);
        for (long element : vector) {
            pattern.putLong(element);
        }
        List<Integer> found = new ArrayList<>();
        for (int at = 0; at + pattern.capacity() <= bytes.length; at++) {
            if (java.util.Arrays.equals(bytes, at, at + pattern.capacity(), pattern.array(), 0, pattern.capacity())) {
                found.add(at);
            }
        }
        assertEquals(1, found.size(), "the strides vector is not found exactly once in the message");
        ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(found.get(0) + 4 + 8 * index, value);
        return bytes;
    }
}
