package org.tensorbridge.backend.gpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.memory.ElementAccess;

/**
 * Random elements of any dtype, one part in four from the values where kernels go wrong: NaN, ±infinity,
 * ±0, the largest finite value and the smallest subnormal of floating dtypes; 0, ±1, MIN, MAX and their
 * neighbours of integers (so sums and products overflow). Shapes of rank 0 to 4, sometimes empty, and
 * partners that broadcast against them. Not thread-safe.
 */
final class RandomInputs {
    private static final double[] FLOATING = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -0.0,
        1, -1, 0.5, -0.5, 2, 3, -2.5};

    private final Random random;

    RandomInputs(Random random) {
        this.random = random;
    }

    Random random() {
        return random;
    }

    /** The special values of {@code dtype}. */
    static ByteBuffer specials(DType dtype) {
        double[] values = dtype.isFloatingPoint() ? floatingSpecials(dtype) : integerSpecials(dtype);
        ByteBuffer out = allocate(dtype, values.length);
        for (int i = 0; i < values.length; i++) {
            write(out, dtype, i, values[i]);
        }
        return out;
    }

    private static double[] floatingSpecials(DType dtype) {
        double[] out = java.util.Arrays.copyOf(FLOATING, FLOATING.length + 2);
        out[FLOATING.length] = switch (dtype) {
            case FLOAT16 -> 65504;
            case BFLOAT16 -> 3.3895313892515355e38;
            case FLOAT32 -> Float.MAX_VALUE;
            default -> Double.MAX_VALUE;
        };
        out[FLOATING.length + 1] = switch (dtype) {
            case FLOAT16 -> 0x1p-24;
            case BFLOAT16 -> 0x1p-133;
            case FLOAT32 -> Float.MIN_VALUE;
            default -> Double.MIN_VALUE;
        };
        return out;
    }

    private static double[] integerSpecials(DType dtype) {
        long min = min(dtype);
        long max = max(dtype);
        return new double[] {0, 1, 2, 7, max, max - 1, min, min + 1, dtype == DType.UINT8 ? 128 : -1,
            dtype == DType.UINT8 ? 100 : -2};
    }

    static long min(DType dtype) {
        return dtype == DType.UINT8 ? 0 : -(1L << (8 * dtype.byteWidth() - 1));
    }

    static long max(DType dtype) {
        return dtype == DType.UINT8 ? 255 : (1L << (8 * dtype.byteWidth() - 1)) - 1;
    }

    private static void write(ByteBuffer out, DType dtype, int i, double value) {
        if (dtype.isFloatingPoint()) {
            ElementAccess.writeDouble(out, dtype, i, value);
        } else {
            ElementAccess.writeLong(out, dtype, i, (long) value);
        }
    }

    static ByteBuffer allocate(DType dtype, long count) {
        return ByteBuffer.allocateDirect(Math.toIntExact(count * dtype.byteWidth())).order(ByteOrder.nativeOrder());
    }

    /** {@code count} random elements of {@code dtype}, specials included. */
    ByteBuffer values(DType dtype, long count) {
        ByteBuffer specials = specials(dtype);
        int width = dtype.byteWidth();
        ByteBuffer out = allocate(dtype, count);
        for (int i = 0; i < count; i++) {
            if (random.nextInt(4) == 0) {
                out.put(i * width, specials, random.nextInt(specials.capacity() / width) * width, width);
            } else if (dtype.isFloatingPoint()) {
                double magnitude = random.nextBoolean() ? random.nextGaussian() * 10
                        : Math.scalb(1 + random.nextDouble(), random.nextInt(61) - 30);
                ElementAccess.writeDouble(out, dtype, i, random.nextBoolean() ? magnitude : -magnitude);
            } else if (dtype == DType.BOOL) {
                out.put(i, (byte) random.nextInt(2));
            } else {
                ElementAccess.writeLong(out, dtype, i, random.nextBoolean() ? random.nextLong() : random.nextInt(21) - 10);
            }
        }
        return out;
    }

    /** {@code count} finite values of small magnitude: integers in [-10, 10], floats of one or two digits. */
    ByteBuffer small(DType dtype, long count, boolean nonNegative) {
        ByteBuffer out = allocate(dtype, count);
        for (int i = 0; i < count; i++) {
            double v = dtype.isFloatingPoint() ? Math.round(random.nextGaussian() * 40) / 8.0 : random.nextInt(21) - 10;
            write(out, dtype, i, nonNegative || dtype == DType.UINT8 ? Math.abs(v) : v);
        }
        return out;
    }

    /** A shape of rank 0 to {@code maxRank}, dims 0 to 5 (0 in about one shape in eight). */
    Shape shape(int maxRank) {
        int rank = random.nextInt(maxRank + 1);
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = random.nextInt(24) == 0 ? 0 : 1 + random.nextInt(5);
        }
        return Shape.of(dims);
    }

    /** A shape that broadcasts against {@code shape}: a suffix of it with some dims set to 1. */
    Shape partner(Shape shape) {
        int rank = random.nextInt(shape.rank() + 1);
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            long d = shape.dim(shape.rank() - rank + i);
            dims[i] = random.nextInt(3) == 0 ? 1 : d;
        }
        return Shape.of(dims);
    }
}
