package org.tensorbridge.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tensorbridge.Backends;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * P1, shared conversion: {@code toHost(CopyPolicy.NEVER)} of a float32 tensor on the CPU backend,
 * against ND4J's own zero-copy view {@code data().asNio()}. A zero-copy view should cost the same at
 * every size. Run with {@code -prof gc} for the bytes allocated per call ({@code gc.alloc.rate.norm}).
 * NumPy's {@code np.asarray} is timed beside it by {@code bench/numpy_peers.py}.
 *
 * <p>Each call includes {@code close()} of the host array: a view keeps a reference to the tensor's
 * memory until it is closed, so the close is part of what a caller pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class P1SharedConversion {
    /** Bytes of the float32 tensor. */
    @Param({"4KiB", "4MiB", "256MiB"})
    public String size;

    /** The tensor, on the CPU backend found through {@code Backends}. */
    @State(Scope.Benchmark)
    public static class Tensorbridge {
        Tensor tensor;

        @Setup(Level.Trial)
        public void setUp(P1SharedConversion bench) {
            tensor = Backends.get("cpu").fill(DType.FLOAT32, Shape.of(Sizes.floats(bench.size)), 1.5f);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tensor.close();
        }
    }

    /** The same elements in a plain ND4J array. */
    @State(Scope.Benchmark)
    public static class Nd4jArray {
        INDArray array;

        @Setup(Level.Trial)
        public void setUp(P1SharedConversion bench) {
            array = Nd4j.valueArrayOf(new long[] {Sizes.floats(bench.size)}, 1.5f, DataType.FLOAT);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            array.close();
        }
    }

    /** The conversion: a read-only view that shares the tensor's memory, then its close. */
    @Benchmark
    public HostArray tensorbridgeToHostNever(Tensorbridge source) {
        HostArray view = source.tensor.toHost(CopyPolicy.NEVER);
        view.close();
        return view;
    }

    /** The conversion plus the {@code ByteBuffer} a caller reads: the same result as ND4J's {@code asNio()}. */
    @Benchmark
    public ByteBuffer tensorbridgeToHostNeverAsByteBuffer(Tensorbridge source) {
        try (HostArray view = source.tensor.toHost(CopyPolicy.NEVER)) {
            return view.asByteBuffer();
        }
    }

    /** ND4J's zero-copy view of its own off-heap buffer. */
    @Benchmark
    public ByteBuffer nd4jDataAsNio(Nd4jArray source) {
        return source.array.data().asNio();
    }
}
