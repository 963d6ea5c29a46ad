package org.tensorbridge.numpy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;
import org.tensorbridge.spi.AbstractBackend;

/**
 * {@code .npz} matrices as SciPy and NumPy users write them, committed under
 * {@code src/test/resources/org/tensorbridge/numpy/scipy/} by {@code src/test/python/npz_corpus.py}:
 * written to a stream that cannot seek (zip members with data descriptors), with the {@code format}
 * stored as a unicode string ({@code <U3}, older SciPy), and compressed. Each reads as the matrix
 * SciPy wrote, and leaves no backend memory open. With SciPy installed ({@link PythonPeer}) the script
 * writes them again and they are read the same.
 */
class NpzScipyFilesTest {
    private static final Path FILES = Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/resources/org/tensorbridge/numpy/scipy").toAbsolutePath();
    private final Backend cpu = Backends.get("cpu");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nonseekable_csr.npz", "old_format_coo.npz", "compressed_csr.npz"})
    void readsAsScipyWroteIt(String name) throws Exception {
        readsAsScipyWroteIt(FILES, name);
    }

    @Test
    void theScipyInstalledWritesFilesThatReadTheSame(@TempDir Path folder) throws Exception {
        PythonPeer.runScript("npz_corpus.py", folder.toString());
        for (String name : new String[] {"nonseekable_csr.npz", "old_format_coo.npz", "compressed_csr.npz"}) {
            readsAsScipyWroteIt(folder, name);
        }
    }

    private void readsAsScipyWroteIt(Path files, String name) throws Exception {
        long liveBefore = ((AbstractBackend) cpu).ledger().liveBytes();
        try (SparseTensor matrix = Npz.read(files.resolve(name), cpu);
                Tensor dense = matrix.toDense(12);
                HostArray host = dense.toHost()) {
            assertEquals(Shape.of(3, 4), matrix.denseShape());
            assertEquals(3, matrix.nnz());
            assertArrayEquals(new double[] {0, -2, 0, 0, 4, 0, 0, 0, 0, 0, 0, 4.5}, host.toDoubleArray());
        }
        assertEquals(liveBefore, ((AbstractBackend) cpu).ledger().liveBytes());
    }
}
