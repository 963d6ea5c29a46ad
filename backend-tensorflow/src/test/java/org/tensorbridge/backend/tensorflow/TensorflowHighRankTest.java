package org.tensorbridge.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Tensor;

/**
 * The backend's corrected forms of cast and of floating max and min broadcast a scalar with TensorFlow's SelectV2,
 * which TensorFlow does over at most eight dimensions ("not supported yet" beyond); above that they run on the
 * flattened values. At and past that rank they give the reference backend's values, NaN, out-of-range and
 * negative values included.
 */
class TensorflowHighRankTest {
    private static final TensorflowBackend BACKEND = TensorflowBackend.create();
    private static final Backend REFERENCE = Backends.get("reference");

    @AfterAll
    static void noMemoryLeftOpen() {
        assertEquals(0, BACKEND.ledger().liveBlocks());
    }

    @ParameterizedTest(name = "{0} at rank {1}")
    @CsvSource({"cast to int32, 8", "cast to int32, 9", "cast to int32, 33", "cast to uint8, 9", "cast to int64, 33",
            "max over axis 1, 9", "max over axis 1, 10", "min over axis 1, 33", "max over axes 0 and 2 kept, 9",
            "min of everything, 33"})
    void sameValuesAsTheReferenceBackend(String operation, int rank) {
        Function<Tensor, Tensor> op = switch (operation) {
            case "cast to int32" -> t -> t.cast(DType.INT32);
            case "cast to uint8" -> t -> t.cast(DType.UINT8);
            case "cast to int64" -> t -> t.cast(DType.INT64);
            case "max over axis 1" -> t -> t.max(1);
            case "min over axis 1" -> t -> t.min(1);
            case "max over axes 0 and 2 kept" -> t -> t.max(new int[] {0, 2}, true);
            case "min of everything" -> t -> t.min();
            default -> throw new IllegalArgumentException(operation);
        };
        long[] dims = new long[rank];
        Arrays.fill(dims, 1);
        dims[0] = 3;
        dims[1] = 4;
        dims[rank - 1] = 2;
        float[] values = new float[24];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 7 == 3 ? Float.NaN : i % 5 == 1 ? 3e10f : (i - 11) * 2.75f;
        }
        try (Tensor onTf = BACKEND.constant(values, dims); Tensor onReference = REFERENCE.constant(values, dims);
                Tensor got = op.apply(onTf); Tensor expected = op.apply(onReference);
                HostArray gotValues = got.toHost(); HostArray expectedValues = expected.toHost()) {
            assertEquals(expected.shape(), got.shape(), "shape");
            assertArrayEquals(expectedValues.convertToDoubleArray(), gotValues.convertToDoubleArray(), "values");
        }
    }
}
