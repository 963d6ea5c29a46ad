package org.tensorbridge.numpy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.ReadOnlyException;
import org.tensorbridge.Sharing;
import org.tensorbridge.Tensor;

/** Memory-mapped .npy files: zero-copy, read-only unless asked, writes reaching the file. */
class NpyMapTest {
    private final Backend cpu = Backends.get("cpu");

    private Path write(Path folder, DType dtype) throws Exception {
        Path file = folder.resolve(dtype.displayName() + ".npy");
        try (Tensor tensor = NpyNumpyRoundTripTest.tensor(cpu, dtype); HostArray host = tensor.toHost()) {
            Npy.write(host, file);
        }
        return file;
    }

    @Test
    void aMappedFileIsSharedAndReadOnly(@TempDir Path folder) throws Exception {
        Path file = write(folder, DType.FLOAT32);
        try (Tensor mapped = Npy.map(file, cpu, Access.READ_ONLY);
                HostArray view = mapped.toHost(CopyPolicy.NEVER)) {
            assertEquals(Sharing.SHARED, view.sharing(), "a mapped file's view");
            assertEquals(0, view.bytesCopied());
            assertTrue(view.isReadOnly(), "read-only unless asked");
            assertArrayEquals(NpyNumpyRoundTripTest.values(DType.FLOAT32), view.convertToDoubleArray());
            assertThrows(ReadOnlyException.class, () -> view.setFloat(9f, 0, 0));
            assertThrows(CopyRequiredException.class, () -> mapped.toHost(CopyPolicy.NEVER, Access.WRITABLE).close(),
                    "a read-only mapping gives no writable share");
            try (Tensor doubled = mapped.multiply(2); HostArray d = doubled.toHost()) {
                assertEquals(-3.0, d.getAsDouble(0, 0), "a mapped tensor computes like any other");
            }
        }
    }

    @Test
    void aWritableMappingWritesTheFile(@TempDir Path folder) throws Exception {
        Path file = write(folder, DType.INT32);
        try (Tensor mapped = Npy.map(file, cpu, Access.WRITABLE);
                HostArray view = mapped.toHost(CopyPolicy.NEVER, Access.WRITABLE)) {
            view.setInt(77, 1, 2);
        }
        try (Tensor again = Npy.read(file, cpu); HostArray host = again.toHost()) {
            assertEquals(77, host.getInt(1, 2), "the write through the mapping reached the file");
        }
    }

    @Test
    void aBigEndianFileCannotBeMappedButCanBeRead(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("be.npy");
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-2f);
        byte[] header = NpyHeader.write(">f4", new long[] {2});
        Files.write(file, concat(header, data.array()));
        CopyRequiredException refused = assertThrows(CopyRequiredException.class,
                () -> Npy.map(file, cpu, Access.READ_ONLY).close());
        assertTrue(refused.getMessage().contains("Npy.read"), refused.getMessage());
        try (Tensor read = Npy.read(file, cpu); HostArray host = read.toHost()) {
            assertArrayEquals(new float[] {1.5f, -2f}, host.toFloatArray());
        }
    }

    @Test
    void aTruncatedFileCannotBeMapped(@TempDir Path folder) throws Exception {
        Path file = write(folder, DType.FLOAT64);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 8));
        assertThrows(NpyFormatException.class, () -> Npy.map(file, cpu, Access.READ_ONLY).close());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
