package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorbridge.AnyTensor;
import org.tensorbridge.Backend;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;

/**
 * Runs one call of a dense operation on the GPU and on the reference backend from the same input bytes
 * and compares what comes back: the same refusal (exception type and message), or a result of the same
 * dtype and shape whose elements have the same bits ({@link Bits}: every NaN one value) or, where a
 * {@link Tolerance} allows it, are close. Not thread-safe.
 */
final class ReferenceComparison {
    /** One input: dtype, shape and its elements in native order. */
    record Input(DType dtype, Shape shape, ByteBuffer data) {
        @Override
        public String toString() {
            return dtype.displayName() + shape;
        }
    }

    /** When two different bit patterns of element {@code i} are still right. */
    @FunctionalInterface
    interface Tolerance {
        /** Bit for bit. */
        Tolerance EXACT = (dtype, i, want, got) -> false;

        boolean accepts(DType dtype, int i, long want, long got);

        /** Within {@code ulps} units in the last place of the dtype, for results that are not NaN. */
        static Tolerance ulps(long ulps) {
            return (dtype, i, want, got) -> want != Bits.NAN && got != Bits.NAN && distance(dtype, want, got) <= ulps;
        }
    }

    private record Outcome(DType dtype, Shape shape, long[] bits, RuntimeException error) {
    }

    private final Backend gpu;
    private final Backend reference;
    private long comparisons;

    ReferenceComparison(Backend gpu, Backend reference) {
        this.gpu = gpu;
        this.reference = reference;
    }

    /** Elements compared so far. */
    long comparisons() {
        return comparisons;
    }

    /** Compares {@code operation(inputs)} on both backends; {@code what} names the case in failures. */
    void check(Operation operation, Attributes attributes, Tolerance tolerance, String what, Input... inputs) {
        String call = operation + attributes.toString() + Arrays.toString(inputs) + " " + what;
        Outcome want = run(reference, operation, attributes, inputs);
        Outcome got = run(gpu, operation, attributes, inputs);
        if (want.error() != null || got.error() != null) {
            if (want.error() == null) {
                throw new AssertionError(call + ": the GPU refused what the reference computes", got.error());
            }
            if (got.error() == null) {
                fail(call + ": the GPU computed what the reference refuses with " + want.error());
            }
            assertEquals(want.error().getClass(), got.error().getClass(), call + ": " + got.error());
            assertEquals(want.error().getMessage(), got.error().getMessage(), call);
            return;
        }
        assertEquals(want.dtype(), got.dtype(), call + ": dtype");
        assertEquals(want.shape(), got.shape(), call + ": shape");
        for (int i = 0; i < want.bits().length; i++) {
            long w = want.bits()[i];
            long g = got.bits()[i];
            if (w != g && !tolerance.accepts(want.dtype(), i, w, g)) {
                fail(call + ": element " + i + " is " + describe(want.dtype(), g) + " on the GPU but "
                        + describe(want.dtype(), w) + " on the reference" + inputsAt(inputs));
            }
        }
        comparisons += want.bits().length;
    }

    private static String inputsAt(Input[] inputs) {
        StringBuilder text = new StringBuilder();
        for (Input input : inputs) {
            if (input.shape().elementCount() <= 64) {
                text.append("; input ").append(input).append(' ').append(Arrays.toString(elements(input)));
            }
        }
        return text.toString();
    }

    private static double[] elements(Input input) {
        double[] out = new double[(int) input.shape().elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = org.tensorbridge.memory.ElementAccess.readDouble(input.data(), input.dtype(), i);
        }
        return out;
    }

    private static Outcome run(Backend backend, Operation operation, Attributes attributes, Input[] inputs) {
        List<Tensor> tensors = new ArrayList<>();
        try {
            for (Input input : inputs) {
                tensors.add(backend.fromBuffer(input.data().duplicate().order(input.data().order()), input.dtype(),
                        input.shape()));
            }
            try (Tensor result = backend.apply(operation, attributes, tensors.toArray(AnyTensor[]::new));
                    HostArray host = result.toHost()) {
                return new Outcome(result.dtype(), result.shape(), Bits.of(host), null);
            }
        } catch (RuntimeException e) {
            return new Outcome(null, null, null, e);
        } finally {
            tensors.forEach(Tensor::close);
        }
    }

    /** Distance in units in the last place between two non-NaN patterns of a floating dtype. */
    static long distance(DType dtype, long a, long b) {
        try {
            return Math.abs(Math.subtractExact(ordered(dtype, a), ordered(dtype, b)));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A pattern on a line where neighbouring values differ by 1 (+0 and -0 both 0, infinity after the largest). */
    private static long ordered(DType dtype, long bits) {
        return switch (dtype) {
            case FLOAT16, BFLOAT16 -> (bits & 0x8000) != 0 ? -(bits & 0x7fff) : bits;
            case FLOAT32 -> (bits & 0x80000000L) != 0 ? -(bits & 0x7fffffffL) : bits;
            case FLOAT64 -> bits < 0 ? -(bits & Long.MAX_VALUE) : bits;
            default -> throw new IllegalArgumentException(dtype + " has no units in the last place");
        };
    }

    private static String describe(DType dtype, long bits) {
        if (bits == Bits.NAN) {
            return "NaN";
        }
        String value = switch (dtype) {
            case FLOAT16 -> Float.toString(org.tensorbridge.Float16.toFloat((short) bits));
            case BFLOAT16 -> Float.toString(org.tensorbridge.BFloat16.toFloat((short) bits));
            case FLOAT32 -> Float.toString(Float.intBitsToFloat((int) bits));
            case FLOAT64 -> Double.toString(Double.longBitsToDouble(bits));
            default -> Long.toString(bits);
        };
        return value + " (bits " + Long.toHexString(bits) + ")";
    }
}
