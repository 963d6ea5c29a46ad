package org.tensorbridge.tck;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Random;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * Builds tensors for the rules and reads them back without trusting the path under test more than
 * needed: data goes in through {@code fromBuffer(..., ALWAYS)} and comes out through
 * {@code toHost(ALWAYS)}.
 */
public final class Fixtures {
    private final Backend backend;
    private final long seed;

    Fixtures(Backend backend, long seed) {
        this.backend = backend;
        this.seed = seed;
    }

    /** The seed every random input derives from; printed in failure messages. */
    public long seed() {
        return seed;
    }

    /** A random source for one rule, reproducible from the seed. */
    public Random random(String rule) {
        return new Random(seed * 31 + rule.hashCode());
    }

    /** A tensor holding {@code values} (converted to {@code dtype}) in row-major order. */
    public Tensor tensor(DType dtype, Shape shape, double... values) {
        if (values.length != shape.elementCount()) {
            throw new IllegalArgumentException("kit bug: " + values.length + " values for shape " + shape);
        }
        return backend.fromBuffer(Elements.buffer(dtype, values), dtype, shape, CopyPolicy.ALWAYS);
    }

    /** A float32 rank-1 tensor. */
    public Tensor floats(double... values) {
        return tensor(DType.FLOAT32, Shape.of(values.length), values);
    }

    /** The tensor's elements as doubles, read through an independent copy. */
    public double[] values(Tensor tensor) {
        try (HostArray copy = tensor.toHost(CopyPolicy.ALWAYS)) {
            return copy.convertToDoubleArray();
        }
    }

    /**
     * A tensor whose memory the kit can change out of band, if the backend offers a way: wrapping a
     * caller buffer, or else a writable share.
     */
    Optional<MutableTensor> mutable(DType dtype, Shape shape, double... values) {
        if (backend.capabilities().wrapsHostBuffers()) {
            ByteBuffer memory = Elements.buffer(dtype, values);
            Tensor tensor = backend.fromBuffer(memory, dtype, shape, CopyPolicy.NEVER);
            return Optional.of(new MutableTensor(tensor, memory, null, "a write to the caller buffer it wraps"));
        }
        if (backend.capabilities().sharesWritable()) {
            Tensor tensor = tensor(dtype, shape, values);
            HostArray share = tensor.toHost(CopyPolicy.NEVER, Access.WRITABLE);
            return Optional.of(new MutableTensor(tensor, null, share, "a write through a writable share"));
        }
        return Optional.empty();
    }

    /** Random values of {@code dtype} that every dtype of its kind holds exactly, nonzero if asked. */
    public double[] randomValues(Random random, DType dtype, int count, boolean nonZero) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            double v;
            do {
                v = switch (dtype) {
                    case BOOL -> random.nextInt(2);
                    case UINT8 -> random.nextInt(11);
                    case INT8, INT16, INT32, INT64 -> random.nextInt(21) - 10;
                    // Quarter steps in [-8, 8] are exact in float16 and bfloat16 alike.
                    case FLOAT16, BFLOAT16 -> (random.nextInt(65) - 32) / 4.0;
                    case FLOAT32, FLOAT64 -> Math.round((random.nextDouble() * 20 - 10) * 1024) / 1024.0;
                };
            } while (nonZero && v == 0);
            values[i] = v;
        }
        return values;
    }
}
