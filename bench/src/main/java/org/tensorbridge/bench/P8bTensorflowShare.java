package org.tensorbridge.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
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
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * P8b, shared conversion on the TensorFlow backend: {@code toHost(CopyPolicy.NEVER)} of a float32 tensor (a
 * host view of TensorFlow's memory, then its close), against TensorFlow Java's own typed view of a tensor's
 * memory ({@code asRawTensor().data().asFloats()}), at three sizes. Run with {@code -prof gc} for the bytes
 * allocated per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class P8bTensorflowShare {
    /** Bytes of the float32 tensor. */
    @Param({"4KiB", "4MiB", "256MiB"})
    public String size;

    /** The tensor, on the TensorFlow backend found through {@code Backends}. */
    @State(Scope.Benchmark)
    public static class Tensorbridge {
        Tensor tensor;

        @Setup(Level.Trial)
        public void setUp(P8bTensorflowShare bench) {
            tensor = Backends.get("tensorflow").fill(DType.FLOAT32, Shape.of(Sizes.floats(bench.size)), 1.5f);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tensor.close();
        }
    }

    /** A TensorFlow Java tensor of the same size. */
    @State(Scope.Benchmark)
    public static class TensorFlow {
        TFloat32 tensor;

        @Setup(Level.Trial)
        public void setUp(P8bTensorflowShare bench) {
            tensor = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(Sizes.floats(bench.size)));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tensor.close();
        }
    }

    @Benchmark
    public HostArray tensorbridgeToHostNever(Tensorbridge source) {
        HostArray view = source.tensor.toHost(CopyPolicy.NEVER);
        view.close();
        return view;
    }

    @Benchmark
    public ByteBuffer tensorbridgeToHostNeverAsByteBuffer(Tensorbridge source) {
        try (HostArray view = source.tensor.toHost(CopyPolicy.NEVER)) {
            return view.asByteBuffer();
        }
    }

    @Benchmark
    public FloatDataBuffer tensorflowTypedView(TensorFlow source) {
        return source.tensor.asRawTensor().data().asFloats();
    }
}
