package org.tensorbridge.numpy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.HostArray;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;

/** Java → SciPy → Java for COO and CSR: scipy.sparse.load_npz reads what this writes, and this reads save_npz. */
class NpzScipyRoundTripTest {
    private final Backend cpu = Backends.get("cpu");

    @Test
    void cooAndCsrRoundTripThroughScipy(@TempDir Path folder) throws Exception {
        long[][] indices = {{2, 3}, {0, 1}, {2, 3}, {1, 0}};
        double[] values = {1.5, -2, 3, 4};
        double[][] dense = {{0, -2, 0, 0}, {4, 0, 0, 0}, {0, 0, 0, 4.5}};
        try (SparseTensor tensor = cpu.sparseCoo(indices, values, 3, 4); SparseValue value = tensor.toSparseValue()) {
            Npz.writeCoo(value, folder.resolve("coo.npz"));
            Npz.writeCsr(value, folder.resolve("csr.npz"));
        }
        new ObjectMapper().writeValue(folder.resolve("sparse.json").toFile(), Map.of("dense", dense));
        PythonPeer.run("npz", folder);
        for (String name : new String[] {"coo_back.npz", "csr_back.npz"}) {
            try (SparseTensor read = Npz.read(folder.resolve(name), cpu);
                    Tensor d = read.toDense(12);
                    HostArray host = d.toHost()) {
                assertEquals(org.tensorbridge.Shape.of(3, 4), read.denseShape(), name + " shape");
                assertArrayEquals(new double[] {0, -2, 0, 0, 4, 0, 0, 0, 0, 0, 0, 4.5}, host.convertToDoubleArray(),
                        name + " values");
            }
        }
    }
}
