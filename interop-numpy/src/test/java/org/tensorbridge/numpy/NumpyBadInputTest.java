package org.tensorbridge.numpy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;
import org.tensorbridge.spi.AbstractBackend;

/**
 * Invalid input to the public entry points of {@link Npy} (write, read, map) and {@link Npz} (writeCoo,
 * writeCsr, read) is refused with exactly the documented exception type, whose message names the
 * offending argument, file part or value, and leaves nothing open: the CPU backend's ledger holds as
 * many blocks and bytes afterwards as before. ({@link NpyMalformedTest} covers malformed {@code .npy}
 * streams given to {@code Npy.read}; the cases here are the other entry points and arguments.)
 */
class NumpyBadInputTest {
    private static final Backend CPU = Backends.get("cpu");

    @TempDir
    Path directory;

    @FunctionalInterface
    interface Call {
        Object run(Fixtures fixtures) throws Exception;
    }

    record BadInput(Class<? extends Throwable> type, String named, Call call) {
    }

    /** The case's folder and what its call was given, closed after it. */
    static final class Fixtures {
        final Path directory;
        private final Deque<AutoCloseable> open = new ArrayDeque<>();

        Fixtures(Path directory) {
            this.directory = directory;
        }

        <T extends AutoCloseable> T keep(T resource) {
            open.push(resource);
            return resource;
        }

        HostArray floats() {
            Tensor tensor = keep(CPU.constant(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
            return keep(tensor.toHost());
        }

        HostArray bfloat16() {
            Tensor tensor = keep(CPU.zeros(DType.BFLOAT16, Shape.of(2)));
            return keep(tensor.toHost());
        }

        SparseValue sparse(long[][] indices, long... denseShape) {
            try (var tensor = CPU.sparseCoo(indices, new float[indices.length], denseShape)) {
                return keep(tensor.toSparseValue());
            }
        }

        Path file(String name, byte[] bytes) throws IOException {
            return Files.write(directory.resolve(name), bytes);
        }

        /** A zip of {@code .npy} members, as {@code scipy.sparse.save_npz} writes. */
        Path npz(Map<String, byte[]> members) throws IOException {
            Path file = directory.resolve("m.npz");
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
                for (Map.Entry<String, byte[]> member : members.entrySet()) {
                    zip.putNextEntry(new ZipEntry(member.getKey() + ".npy"));
                    zip.write(member.getValue());
                    zip.closeEntry();
                }
            }
            return file;
        }

        void closeAll() throws Exception {
            while (!open.isEmpty()) {
                open.pop().close();
            }
        }
    }

    /** A {@code .npy} file of {@code descr} and {@code shape} followed by {@code data}. */
    static byte[] npy(String descr, long[] shape, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(NpyHeader.write(descr, shape));
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** A version 1.0 {@code .npy} of a header dict written as given, then {@code dataBytes} zeros. */
    static byte[] rawNpy(String dict, int dataBytes) {
        String text = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length(),
                (byte) (text.length() >>> 8)});
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[dataBytes]);
        return out.toByteArray();
    }

    static byte[] longs(long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        return bytes.array();
    }

    static byte[] int64s(long... values) {
        return npy("<i8", new long[] {values.length}, longs(values));
    }

    static byte[] text(String text) {
        return npy("|S" + text.length(), new long[0], text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The members of a valid 3x4 COO matrix with entries at (0, 1), (1, 0) and (2, 3). */
    static Map<String, byte[]> coo() {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("row", int64s(0, 1, 2));
        members.put("col", int64s(1, 0, 3));
        members.put("data", npy("<f4", new long[] {3}, new byte[12]));
        members.put("shape", int64s(3, 4));
        members.put("format", text("coo"));
        return members;
    }

    static Map<String, byte[]> cooWith(String name, byte[] member) {
        Map<String, byte[]> members = coo();
        if (member == null) {
            members.remove(name);
        } else {
            members.put(name, member);
        }
        return members;
    }

    private static Arguments bad(String name, Class<? extends Throwable> type, String named, Call call) {
        return Arguments.of(Named.of(name, new BadInput(type, named, call)));
    }

    static Stream<Arguments> badInputs() {
        byte[] fortran = npy("<f4", new long[] {2, 3}, new byte[24]);
        String fortranHeader = new String(fortran, StandardCharsets.ISO_8859_1).replace("False", "True ");
        return Stream.of(
                // Npy.write
                bad("Npy.write: array null", NullPointerException.class, "array",
                        f -> { Npy.write(null, f.directory.resolve("a.npy")); return null; }),
                bad("Npy.write: file null", NullPointerException.class, "file",
                        f -> { Npy.write(f.floats(), (Path) null); return null; }),
                bad("Npy.write: stream null", NullPointerException.class, "out",
                        f -> { Npy.write(f.floats(), (OutputStream) null); return null; }),
                bad("Npy.write: a bfloat16 array, to a file", UnsupportedDTypeException.class, "bfloat16", f -> {
                    Path file = f.directory.resolve("b.npy");
                    try {
                        Npy.write(f.bfloat16(), file);
                    } finally {
                        assertFalse(Files.exists(file), "a refused write created " + file);
                    }
                    return null;
                }),
                bad("Npy.write: a bfloat16 array, to a stream", UnsupportedDTypeException.class, "bfloat16",
                        f -> { Npy.write(f.bfloat16(), new ByteArrayOutputStream()); return null; }),
                // Npy.read
                bad("Npy.read: stream null", NullPointerException.class, "in",
                        f -> Npy.read((java.io.InputStream) null, CPU)),
                bad("Npy.read: a structured dtype", NpyFormatException.class, "structured dtype",
                        f -> Npy.read(new ByteArrayInputStream(rawNpy("{'descr': [('a', '<f4'), ('b', '<i4')], "
                                + "'fortran_order': False, 'shape': (2,), }", 16)), CPU)),
                bad("Npy.read: backend null", NullPointerException.class, "backend",
                        f -> Npy.read(new ByteArrayInputStream(int64s(1)), null)),
                bad("Npy.read: file null", NullPointerException.class, "file", f -> Npy.read((Path) null, CPU)),
                bad("Npy.read: a file that does not exist", NoSuchFileException.class, "missing.npy",
                        f -> Npy.read(f.directory.resolve("missing.npy"), CPU)),
                bad("Npy.read: a header longer than the file", NpyFormatException.class, "truncated",
                        f -> Npy.read(f.file("h.npy", Arrays.copyOf(int64s(1, 2), 30)), CPU)),
                // Npy.map
                bad("Npy.map: a Fortran-order file", CopyRequiredException.class, "Fortran",
                        f -> Npy.map(f.file("f.npy", fortranHeader.getBytes(StandardCharsets.ISO_8859_1)), CPU,
                                Access.READ_ONLY)),
                bad("Npy.map: a big-endian file", CopyRequiredException.class, "BIG_ENDIAN",
                        f -> Npy.map(f.file("be.npy", npy(">f4", new long[] {2}, new byte[8])), CPU, Access.READ_ONLY)),
                bad("Npy.map: data shorter than the shape", NpyFormatException.class, "'shape'",
                        f -> Npy.map(f.file("short.npy", npy("<f4", new long[] {4}, new byte[8])), CPU,
                                Access.READ_ONLY)),
                bad("Npy.map: not a .npy file", NpyFormatException.class, "magic",
                        f -> Npy.map(f.file("z.npy", "PK\u0003\u0004 a zip, not npy".getBytes(StandardCharsets.ISO_8859_1)),
                                CPU, Access.READ_ONLY)),
                bad("Npy.map: an unknown dtype", NpyFormatException.class, "'descr'",
                        f -> Npy.map(f.file("u.npy", npy("<u4", new long[] {2}, new byte[8])), CPU, Access.READ_ONLY)),
                bad("Npy.map: access null", NullPointerException.class, "access",
                        f -> Npy.map(f.file("ok.npy", int64s(1)), CPU, null)),
                bad("Npy.map: backend null", NullPointerException.class, "backend",
                        f -> Npy.map(f.file("ok.npy", int64s(1)), null, Access.READ_ONLY)),
                // Npz.writeCoo and writeCsr
                bad("Npz.writeCoo: value null", NullPointerException.class, "value",
                        f -> { Npz.writeCoo(null, f.directory.resolve("n.npz")); return null; }),
                bad("Npz.writeCoo: a rank-3 value", ShapeMismatchException.class, "dense shape [2, 2, 2]",
                        f -> { Npz.writeCoo(f.sparse(new long[][] {{0, 1, 1}}, 2, 2, 2), f.directory.resolve("r.npz"));
                            return null; }),
                bad("Npz.writeCsr: a rank-1 value", ShapeMismatchException.class, "dense shape [5]",
                        f -> { Npz.writeCsr(f.sparse(new long[][] {{3}}, 5), f.directory.resolve("r.npz"));
                            return null; }),
                // Npz.read
                bad("Npz.writeCsr: float16 values, which scipy.sparse refuses", UnsupportedDTypeException.class,
                        "float32", f -> {
                            try (Tensor index = CPU.constant(new long[] {0, 1}, 1, 2);
                                    Tensor values = CPU.zeros(DType.FLOAT16, Shape.of(1));
                                    var tensor = CPU.sparseCoo(index, values, Shape.of(2, 2))) {
                                Npz.writeCsr(f.keep(tensor.toSparseValue()), f.directory.resolve("h.npz"));
                            }
                            return null;
                        }),
                bad("Npz.read: file null", NullPointerException.class, "file", f -> Npz.read(null, CPU)),
                bad("Npz.read: backend null", NullPointerException.class, "backend",
                        f -> Npz.read(f.npz(coo()), null)),
                bad("Npz.read: not a zip", NpyFormatException.class, "not a zip",
                        f -> Npz.read(f.file("x.npz", int64s(1, 2)), CPU)),
                bad("Npz.read: no 'row' array", NpyFormatException.class, "'row.npy'",
                        f -> Npz.read(f.npz(cooWith("row", null)), CPU)),
                bad("Npz.read: format 'bsr'", NpyFormatException.class, "'bsr'",
                        f -> Npz.read(f.npz(cooWith("format", text("bsr"))), CPU)),
                bad("Npz.read: a format that is no byte string", NpyFormatException.class, "'format'",
                        f -> Npz.read(f.npz(cooWith("format", int64s(1))), CPU)),
                bad("Npz.read: a format descr with no length", NpyFormatException.class, "'format'",
                        f -> Npz.read(f.npz(cooWith("format", npy("|Sx", new long[0], new byte[3]))), CPU)),
                bad("Npz.read: a dense shape of more than 2^63 elements", NpyFormatException.class, "'shape'",
                        f -> Npz.read(f.npz(cooWith("shape", int64s(3037000500L, 3037000500L))), CPU)),
                bad("Npz.read: a format descr of negative length", NpyFormatException.class, "'format'",
                        f -> Npz.read(f.npz(cooWith("format", npy("|S-1", new long[0], new byte[3]))), CPU)),
                bad("Npz.read: a shape of 3 sizes", NpyFormatException.class, "'shape'",
                        f -> Npz.read(f.npz(cooWith("shape", int64s(3, 4, 5))), CPU)),
                bad("Npz.read: 'row' and 'col' of different lengths", NpyFormatException.class, "'row' and 'col'",
                        f -> Npz.read(f.npz(cooWith("col", int64s(1, 0))), CPU)),
                bad("Npz.read: float row indices", NpyFormatException.class, "'row'",
                        f -> Npz.read(f.npz(cooWith("row", npy("<f8", new long[] {3}, new byte[24]))), CPU)),
                bad("Npz.read: a member cut inside its data", NpyFormatException.class, "truncated",
                        f -> Npz.read(f.npz(cooWith("row", Arrays.copyOf(int64s(0, 1, 2), int64s(0, 1, 2).length - 4))),
                                CPU)),
                bad("Npz.read: an index outside the shape", NpyFormatException.class, "dense shape [3, 4]",
                        f -> Npz.read(f.npz(cooWith("col", int64s(1, 0, 9))), CPU)),
                bad("Npz.read: a CSR indptr that decreases", NpyFormatException.class, "indptr", f -> {
                    Map<String, byte[]> members = new LinkedHashMap<>();
                    members.put("indices", int64s(0, 1, 2));
                    members.put("indptr", int64s(0, 2, 1, 3));
                    members.put("data", npy("<f4", new long[] {3}, new byte[12]));
                    members.put("shape", int64s(3, 4));
                    members.put("format", text("csr"));
                    return Npz.read(f.npz(members), CPU);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void isRefusedWithTheDocumentedExceptionNamingTheArgumentAndLeavesNothingOpen(BadInput input) throws Exception {
        AbstractBackend backend = (AbstractBackend) CPU;
        long blocksBefore = backend.ledger().liveBlocks();
        long bytesBefore = backend.ledger().liveBytes();
        Fixtures fixtures = new Fixtures(directory);
        Throwable thrown;
        try {
            thrown = assertThrows(Throwable.class, () -> {
                Object result = input.call().run(fixtures);
                if (result instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            });
        } finally {
            fixtures.closeAll();
        }
        assertEquals(input.type(), thrown.getClass(), () -> "exception type; the exception was " + thrown);
        // A null argument and a missing file throw the JDK's exceptions, as everywhere in the api.
        if (!(thrown instanceof NullPointerException) && !(thrown instanceof NoSuchFileException)) {
            assertTrue(thrown instanceof org.tensorbridge.TensorBridgeException coded && !coded.code().isBlank(),
                    () -> "no stable code(): " + thrown);
        }
        assertTrue(String.valueOf(thrown.getMessage()).contains(input.named()), () -> "the message does not name '"
                + input.named() + "': " + thrown.getMessage());
        assertEquals(blocksBefore, backend.ledger().liveBlocks(), "a refused call left backend memory open");
        assertEquals(bytesBefore, backend.ledger().liveBytes(), "a refused call left backend memory open");
    }
}
