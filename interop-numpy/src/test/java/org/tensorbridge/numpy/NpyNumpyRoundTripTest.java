package org.tensorbridge.numpy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * Java → NumPy → Java for every dtype NumPy has a code for: NumPy loads what this module writes and
 * checks every value, then saves it back as it is, big-endian and in Fortran order, and this module
 * reads all three back.
 */
class NpyNumpyRoundTripTest {
    private final Backend cpu = Backends.get("cpu");

    static double[] values(DType dtype) {
        return switch (dtype) {
            case BOOL -> new double[] {1, 0, 1, 1, 0, 1};
            case UINT8 -> new double[] {0, 1, 2, 3, 200, 255};
            case INT8, INT16, INT32, INT64 -> new double[] {-3, -2, -1, 0, 1, 2};
            default -> new double[] {-1.5, -0.25, 0, 0.5, 2, 100};
        };
    }

    static Tensor tensor(Backend backend, DType dtype) {
        double[] values = values(dtype);
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * dtype.byteWidth()).order(ByteOrder.nativeOrder());
        for (int i = 0; i < values.length; i++) {
            int at = i * dtype.byteWidth();
            switch (dtype) {
                case BOOL, INT8, UINT8 -> buffer.put(at, (byte) values[i]);
                case INT16 -> buffer.putShort(at, (short) values[i]);
                case INT32 -> buffer.putInt(at, (int) values[i]);
                case INT64 -> buffer.putLong(at, (long) values[i]);
                case FLOAT16 -> buffer.putShort(at, org.tensorbridge.Float16.fromFloat((float) values[i]));
                case FLOAT32 -> buffer.putFloat(at, (float) values[i]);
                default -> buffer.putDouble(at, values[i]);
            }
        }
        return backend.fromBuffer(buffer, dtype, Shape.of(2, 3), CopyPolicy.ALWAYS);
    }

    @Test
    void everyDTypeRoundTripsThroughNumpy(@TempDir Path folder) throws Exception {
        EnumSet<DType> dtypes = EnumSet.complementOf(EnumSet.of(DType.BFLOAT16));
        ObjectMapper json = new ObjectMapper();
        ArrayNode cases = json.createArrayNode();
        for (DType dtype : dtypes) {
            String name = dtype.displayName() + ".npy";
            try (Tensor tensor = tensor(cpu, dtype); HostArray host = tensor.toHost()) {
                Npy.write(host, folder.resolve(name));
            }
            ObjectNode c = cases.addObject();
            c.put("file", name);
            c.put("dtype", dtype == DType.BOOL ? "bool" : dtype.displayName().toLowerCase(Locale.ROOT));
            c.putArray("shape").add(2).add(3);
            ArrayNode v = c.putArray("values");
            for (double value : values(dtype)) {
                v.add(value);
            }
        }
        json.writeValue(folder.resolve("cases.json").toFile(), cases);
        PythonPeer.run("npy", folder);
        for (DType dtype : dtypes) {
            for (String variant : new String[] {"_back", "_be", "_f"}) {
                Path file = folder.resolve(dtype.displayName() + variant + ".npy");
                try (Tensor read = Npy.read(file, cpu); HostArray host = read.toHost()) {
                    assertEquals(dtype, read.dtype(), file.getFileName() + " dtype");
                    assertEquals(Shape.of(2, 3), read.shape(), file.getFileName() + " shape");
                    assertArrayEquals(values(dtype), host.convertToDoubleArray(), file.getFileName() + " values");
                }
            }
        }
    }

    @Test
    void bfloat16HasNoNumpyCode(@TempDir Path folder) {
        try (Tensor tensor = cpu.zeros(DType.BFLOAT16, Shape.of(2)); HostArray host = tensor.toHost()) {
            org.tensorbridge.UnsupportedDTypeException e = assertThrows(org.tensorbridge.UnsupportedDTypeException.class,
                    () -> Npy.write(host, folder.resolve("b.npy")));
            assertEquals(true, e.getMessage().contains("bfloat16") && e.getMessage().contains("float32"), e.getMessage());
        }
        assertEquals(false, Files.exists(folder.resolve("b.npy")), "a refused write must not leave a file behind");
    }
}
