package org.tensorbridge.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;

/**
 * The backend's exact forms of cast, maximum and minimum, max and min, tanh, sqrt and log select between
 * TensorFlow results, and TensorFlow's SelectV2 handles at most eight dimensions ("not supported yet" beyond):
 * selections between values of one shape use Select, which is flat, and those that broadcast a scalar run on the
 * flattened values. At and past that rank they give the reference backend's values, NaN, out-of-range, negative
 * values and -0 included.
 */
class TensorflowHighRankTest {
    private static final TensorflowBackend BACKEND = TensorflowBackend.create();
    private static final Backend REFERENCE = Backends.get("reference");

    @AfterAll
    static void noMemoryLeftOpen() {
        assertEquals(0, BACKEND.ledger().liveBlocks());
    }

    /**
     * Past eight dimensions, and at the limits as controls: a rank-8 cast, a max over axis 1 of rank 9 (its result
     * has 8) and a min of everything (a scalar) take the plain forms.
     */
    @ParameterizedTest(name = "{0} at rank {1}")
    @CsvSource({"cast to int32, 8", "cast to int32, 9", "cast to int32, 33", "cast to uint8, 9", "cast to int64, 33",
            "max over axis 1, 9", "max over axis 1, 10", "min over axis 1, 33", "max over axes 0 and 2 kept, 9",
            "min of everything, 33", "maximum with a scalar, 9", "minimum of a scalar and it, 33",
            "maximum with itself, 33", "tanh, 33", "sqrt of the magnitudes, 9", "log of the magnitudes, 33"})
    void sameValuesAsTheReferenceBackend(String operation, int rank) {
        Function<Tensor, Tensor> op = switch (operation) {
            case "cast to int32" -> t -> t.cast(DType.INT32);
            case "cast to uint8" -> t -> t.cast(DType.UINT8);
            case "cast to int64" -> t -> t.cast(DType.INT64);
            case "max over axis 1" -> t -> t.max(1);
            case "min over axis 1" -> t -> t.min(1);
            case "max over axes 0 and 2 kept" -> t -> t.max(new int[] {0, 2}, true);
            case "min of everything" -> t -> t.min();
            case "maximum with a scalar" -> t -> withScalar(t, (x, s) -> x.maximum(s));
            case "minimum of a scalar and it" -> t -> withScalar(t, (x, s) -> s.minimum(x));
            case "maximum with itself" -> t -> t.maximum(t);
            case "tanh" -> Tensor::tanh;
            case "sqrt of the magnitudes" -> t -> magnitudes(t, Tensor::sqrt);
            case "log of the magnitudes" -> t -> magnitudes(t, Tensor::log);
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
            // tanh and log are TensorFlow's own, within an ulp or two of the reference's; the rest are exact.
            double tolerance = operation.equals("tanh") || operation.startsWith("log") ? 1e-5 : 0;
            assertArrayEquals(expectedValues.convertToDoubleArray(), gotValues.convertToDoubleArray(), tolerance,
                    "values");
        }
    }

    /** {@code f(t, s)} with {@code s} the rank-0 tensor -0.0 on {@code t}'s backend: the sign of zero matters here. */
    private static Tensor withScalar(Tensor t, BiFunction<Tensor, Tensor, Tensor> f) {
        try (Tensor s = t.backend().constant(new float[] {-0f})) {
            return f.apply(t, s);
        }
    }

    private static Tensor magnitudes(Tensor t, Function<Tensor, Tensor> f) {
        try (Tensor magnitude = t.abs()) {
            return f.apply(magnitude);
        }
    }

    /** The same cast past eight dimensions in a graph: graphs build the same TensorFlow operations. */
    @Test
    void aGraphCastsPastEightDimensions() {
        long[] dims = new long[12];
        Arrays.fill(dims, 1);
        dims[11] = 3;
        try (Graph graph = BACKEND.newGraph(); Session session = graph.newSession();
                Tensor x = BACKEND.constant(new float[] {Float.NaN, 3e10f, -2.5f}, dims)) {
            Symbol fed = graph.placeholder("x", DType.FLOAT32, dims);
            try (HostArray result = session.run(fed.cast(DType.INT32), Map.of(fed, x))) {
                assertArrayEquals(new int[] {0, Integer.MAX_VALUE, -2}, result.toIntArray());
            }
        }
    }
}
