package org.tensorbridge.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tensorbridge.BFloat16;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Float16;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Session;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;
import org.tensorbridge.memory.ElementAccess;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;

/**
 * Casts and float16/bfloat16 arithmetic, bit for bit against Java's conversions and the exact result rounded
 * once to nearest even, eagerly and through a TensorFlow session: every float16 and bfloat16 value, and float32,
 * float64 and integer values chosen where TensorFlow goes wrong (subnormals, which its kernels flush to zero;
 * values whose rounding through float32 makes a tie that is not there). Many more values than the kit's rules
 * 4.4 and 4.5 feed.
 */
class ExactRoundingTest {
    private static final TensorflowBackend BACKEND = TensorflowBackend.create();
    private static final List<DType> DTYPES = List.copyOf(BACKEND.capabilities().supportedDTypes());

    @AfterAll
    static void noMemoryLeftOpen() {
        assertEquals(0, BACKEND.ledger().liveBlocks());
    }

    @Test
    void everyCastIsJavasConversionBitForBit() {
        Random random = new Random(20261206);
        List<String> wrong = new ArrayList<>();
        for (DType from : DTYPES) {
            long[] in = inputs(from, random);
            for (DType to : DTYPES) {
                for (boolean graph : new boolean[] {false, true}) {
                    long[] out = run(from, in, null, graph, (x, y) -> x.cast(to), (p, q) -> p.cast(to));
                    compare("cast " + from.displayName() + " -> " + to.displayName() + (graph ? " (graph)" : ""), to,
                            out, i -> javaCast(from, to, in[i]), i -> show(from, in[i]), wrong);
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void halfPrecisionArithmeticRoundsTheExactResultOnce() {
        List<String> wrong = new ArrayList<>();
        for (DType dtype : List.of(DType.FLOAT16, DType.BFLOAT16)) {
            long[] right = rightOperands(dtype, new Random(7));
            long[] a = LongStream.range(0, 65536L * right.length).map(i -> i / right.length).toArray();
            long[] b = LongStream.range(0, a.length).map(i -> right[(int) (i % right.length)]).toArray();
            for (Operation op : List.of(Operations.ADD, Operations.SUBTRACT, Operations.MULTIPLY, Operations.DIVIDE)) {
                for (boolean graph : new boolean[] {false, true}) {
                    long[] out = run(dtype, a, b, graph, (x, y) -> x.apply(op, Attributes.NONE, y),
                            (p, q) -> p.apply(op, Attributes.NONE, q));
                    compare(op + " " + dtype.displayName() + (graph ? " (graph)" : ""), dtype, out, i -> {
                        double u = decode(dtype, a[i]);
                        double v = decode(dtype, b[i]);
                        double exact = op == Operations.ADD ? u + v : op == Operations.SUBTRACT ? u - v
                                : op == Operations.MULTIPLY ? u * v : u / v;
                        return encode(dtype, exact);
                    }, i -> show(dtype, a[i]) + ", " + show(dtype, b[i]), wrong);
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void toSparseKeepsSubnormalElements() {
        for (DType dtype : List.of(DType.BFLOAT16, DType.FLOAT32, DType.FLOAT64)) {
            long tiny = encode(dtype, dtype == DType.FLOAT64 ? Double.MIN_VALUE : Float.MIN_NORMAL / 4);
            try (Tensor dense = BACKEND.fromBuffer(buffer(dtype, new long[] {0, tiny, 0, tiny | signBit(dtype)}), dtype,
                    Shape.of(4), CopyPolicy.ALWAYS); SparseTensor sparse = BACKEND.toSparse(dense);
                    SparseValue value = sparse.toSparseValue(CopyPolicy.ALWAYS)) {
                assertEquals(List.of(1L, 3L), LongStream.of(value.indices().toLongArray()).boxed().toList(),
                        dtype.displayName() + ": a subnormal is not zero");
            }
        }
    }

    /** The raw bits of {@code eager} (or {@code symbolic}, through a session) on {@code a} and {@code b}. */
    private static long[] run(DType dtype, long[] a, long[] b, boolean graph, BinaryOperator<Tensor> eager,
            BinaryOperator<Symbol> symbolic) {
        Shape shape = Shape.of(a.length);
        try (Tensor x = BACKEND.fromBuffer(buffer(dtype, a), dtype, shape, CopyPolicy.ALWAYS);
                Tensor y = b == null ? null : BACKEND.fromBuffer(buffer(dtype, b), dtype, shape, CopyPolicy.ALWAYS)) {
            if (!graph) {
                try (Tensor z = eager.apply(x, y)) {
                    return bits(z);
                }
            }
            try (Graph g = BACKEND.newGraph(); Session session = g.newSession()) {
                Symbol p = g.placeholder("x", dtype, a.length);
                Symbol q = b == null ? null : g.placeholder("y", dtype, a.length);
                try (Tensor z = session.runTensor(symbolic.apply(p, q), q == null ? Map.of(p, x) : Map.of(p, x, q, y))) {
                    return bits(z);
                }
            }
        }
    }

    private interface Expected {
        long at(int i);
    }

    private interface Shown {
        String at(int i);
    }

    /** Adds a line per mismatch (the first three of each case) to {@code wrong}; NaN matches any NaN. */
    private static void compare(String what, DType dtype, long[] actual, Expected expected, Shown input,
            List<String> wrong) {
        int count = 0;
        StringBuilder examples = new StringBuilder();
        for (int i = 0; i < actual.length; i++) {
            long e = expected.at(i);
            boolean same = dtype.isFloatingPoint() && Double.isNaN(decode(dtype, e)) ? Double.isNaN(decode(dtype, actual[i]))
                    : e == actual[i];
            if (!same && count++ < 3) {
                examples.append(" [of ").append(input.at(i)).append(": ").append(show(dtype, actual[i]))
                        .append(", expected ").append(show(dtype, e)).append(']');
            }
        }
        if (count > 0) {
            wrong.add(what + ": " + count + " of " + actual.length + " wrong" + examples);
        }
    }

    /** What Java gives, as the reference backend computes it: floating to floating rounded once, to nearest even. */
    private static long javaCast(DType from, DType to, long bits) {
        if (from.isFloatingPoint()) {
            double v = decode(from, bits);
            return to.isFloatingPoint() ? encode(to, v) : to == DType.BOOL ? (v != 0 ? 1 : 0)
                    : to == DType.INT64 ? (long) v : wrap(to, (int) v);
        }
        return to == DType.FLOAT32 ? Float.floatToRawIntBits((float) bits) & 0xffffffffL
                : to.isFloatingPoint() ? encode(to, (double) bits) : wrap(to, bits);
    }

    private static long wrap(DType to, long v) {
        return switch (to) {
            case BOOL -> v != 0 ? 1 : 0;
            case UINT8 -> v & 0xff;
            case INT32 -> (int) v;
            default -> v;
        };
    }

    /** Inputs of {@code dtype} as raw bits: all of them for 16-bit dtypes, the hard cases for the others. */
    private static long[] inputs(DType dtype, Random random) {
        return switch (dtype) {
            case BOOL -> new long[] {0, 1};
            case UINT8 -> LongStream.range(0, 256).toArray();
            case FLOAT16, BFLOAT16 -> LongStream.range(0, 65536).toArray();
            case INT32, INT64 -> integers(dtype, random);
            case FLOAT32 -> floats(random);
            default -> doubles(random);
        };
    }

    /** Extremes, and values one away from a tie of bfloat16 that rounding through float32 would make exact. */
    private static long[] integers(DType dtype, Random random) {
        List<Long> out = new ArrayList<>(List.of(0L, 1L, -1L, 7L, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE,
                65504L, 65519L, 65520L, (1L << 30) + (1L << 22) + 1, -((1L << 30) + (1L << 22) + 1)));
        if (dtype == DType.INT64) {
            out.addAll(List.of(Long.MIN_VALUE, Long.MAX_VALUE, (1L << 62) + (1L << 54) + 1));
        }
        for (int i = 0; i < 3000; i++) {
            long v = dtype == DType.INT32 ? random.nextInt() : random.nextLong() >> random.nextInt(64);
            int significant = 64 - Long.numberOfLeadingZeros(Math.abs(v) | 1);
            long tie = significant > 10 ? (v & -(1L << (significant - 9))) | (1L << (significant - 10)) : v;
            for (long w : new long[] {v, tie, tie + 1, tie - 1}) {
                out.add(dtype == DType.INT32 ? (int) w : w);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** Specials, subnormals, float16 and bfloat16 ties, values near float16's subnormal range, random bits. */
    private static long[] floats(Random random) {
        List<Long> out = new ArrayList<>();
        for (int v : new int[] {0, 0x80000000, 1, 0x80000001, 0x7fffff, 0x800000, 0x7f800000, 0xff800000, 0x7fc00000,
            0x7f7fffff, 0x7f7f8000, 0x477fefff, 0x477ff000, 0x33000000, 0x33000001, 0x387fe000, 0x00008000}) {
            out.add(v & 0xffffffffL);
        }
        for (int i = 0; i < 20000; i++) {
            int v = random.nextInt();
            v = switch (i % 5) {
                case 0 -> v & 0x807fffff;
                case 1 -> (v & 0xffff0000) | 0x8000;
                case 2 -> (v & 0xffffe000) | 0x1000;
                case 3 -> (v & 0x80ffffff) | 0x38000000;
                default -> v;
            };
            out.add(v & 0xffffffffL);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Specials, subnormals, values in float32's subnormal range, and values a hair off a float16 or bfloat16 tie:
     * rounded to float32 first they become the tie.
     */
    private static long[] doubles(Random random) {
        List<Long> out = new ArrayList<>();
        for (double v : new double[] {0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
            Double.NaN, Double.NEGATIVE_INFINITY, 1e-40, -1e-40, 0x1p-150, 0x1p-150 + 0x1p-200, 1 + 0x1p-8 + 0x1p-40,
            1 + 0x1p-8 - 0x1p-40, 1 + 0x1p-11 + 0x1p-40, 0x1p-25 + 0x1p-60, 0x1p-134 + 0x1p-180, 65519.999, 3.3963e38}) {
            out.add(Double.doubleToRawLongBits(v));
        }
        for (int i = 0; i < 20000; i++) {
            long v = random.nextLong() & 0x800fffffffffffffL;
            v = switch (i % 6) {
                case 0 -> v;
                case 1 -> v | (long) (1023 - 150 + random.nextInt(30)) << 52;
                case 2 -> halfTie(v | (long) (1023 - 126 + random.nextInt(250)) << 52, 45, random);
                case 3 -> halfTie(v | (long) (1023 - 24 + random.nextInt(40)) << 52, 42, random);
                default -> v | (long) (1023 - 30 + random.nextInt(60)) << 52;
            };
            out.add(v);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** {@code v} with the bits below {@code keep} set to a tie of those bits, a hair above or below it. */
    private static long halfTie(long v, int keep, Random random) {
        long cleared = v & -(1L << keep);
        return random.nextBoolean() ? cleared | 1L << (keep - 1) | 1 : cleared | (1L << (keep - 1)) - 1;
    }

    /** Right operands: every subnormal's neighbourhood of zero, the smallest normals, specials, random values. */
    private static long[] rightOperands(DType dtype, Random random) {
        int mantissa = dtype == DType.FLOAT16 ? 10 : 7;
        List<Long> out = new ArrayList<>();
        for (long k = 0; k < 16; k++) {
            out.addAll(List.of(k, k | 0x8000, (1L << mantissa) - 1 - k));
        }
        long one = dtype == DType.FLOAT16 ? 0x3c00 : 0x3f80;
        long infinity = dtype == DType.FLOAT16 ? 0x7c00 : 0x7f80;
        out.addAll(List.of(1L << mantissa, (1L << mantissa) | 1, one, one | 1, one | 0x8000, infinity, infinity | 1,
                infinity - 1, 0x4000L));
        for (int i = 0; i < 40; i++) {
            out.add((long) random.nextInt(65536));
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static ByteBuffer buffer(DType dtype, long[] bits) {
        ByteBuffer b = ByteBuffer.allocateDirect(bits.length * dtype.byteWidth()).order(ByteOrder.nativeOrder());
        for (int i = 0; i < bits.length; i++) {
            switch (dtype.byteWidth()) {
                case 1 -> b.put(i, (byte) bits[i]);
                case 2 -> b.putShort(i * 2, (short) bits[i]);
                case 4 -> b.putInt(i * 4, (int) bits[i]);
                default -> b.putLong(i * 8, bits[i]);
            }
        }
        return b;
    }

    /** Each element's bits, unsigned for floating dtypes and uint8, as read through an independent copy. */
    private static long[] bits(Tensor tensor) {
        DType dtype = tensor.dtype();
        try (HostArray copy = tensor.toHost(CopyPolicy.ALWAYS)) {
            ByteBuffer b = copy.asByteBuffer().order(ByteOrder.nativeOrder());
            long[] out = new long[(int) copy.shape().elementCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = switch (dtype.byteWidth()) {
                    case 1 -> dtype == DType.UINT8 ? b.get(i) & 0xff : b.get(i);
                    case 2 -> b.getShort(i * 2) & 0xffff;
                    case 4 -> dtype == DType.FLOAT32 ? b.getInt(i * 4) & 0xffffffffL : b.getInt(i * 4);
                    default -> b.getLong(i * 8);
                };
            }
            return out;
        }
    }

    private static double decode(DType dtype, long bits) {
        return switch (dtype) {
            case FLOAT16 -> Float16.toFloat((short) bits);
            case BFLOAT16 -> BFloat16.toFloat((short) bits);
            case FLOAT32 -> Float.intBitsToFloat((int) bits);
            case FLOAT64 -> Double.longBitsToDouble(bits);
            default -> bits;
        };
    }

    /** {@code value} rounded once to floating {@code dtype}, as bits. */
    private static long encode(DType dtype, double value) {
        float rounded = (float) ElementAccess.round(dtype, value);
        return switch (dtype) {
            case FLOAT16 -> Float16.fromFloat(rounded) & 0xffff;
            case BFLOAT16 -> BFloat16.fromFloat(rounded) & 0xffff;
            case FLOAT32 -> Float.floatToRawIntBits(rounded) & 0xffffffffL;
            default -> Double.doubleToRawLongBits(value);
        };
    }

    private static long signBit(DType dtype) {
        return dtype == DType.FLOAT64 ? Long.MIN_VALUE : dtype == DType.FLOAT32 ? 0x80000000L : 0x8000;
    }

    private static String show(DType dtype, long bits) {
        return dtype.isFloatingPoint() ? decode(dtype, bits) + " (0x" + Long.toHexString(bits) + ")" : Long.toString(bits);
    }
}
