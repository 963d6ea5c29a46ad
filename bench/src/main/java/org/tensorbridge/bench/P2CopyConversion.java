package org.tensorbridge.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
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
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * P2, copy conversion of a float32 tensor at the sizes of P1, into the two destinations a caller
 * wants: a {@code float[]} and a direct buffer. Every source holds the same values in native memory
 * (the tensor, a direct buffer, an ND4J array, a TensorFlow tensor).
 *
 * <ul>
 *   <li>Into a caller's {@code float[]}: {@code toHost().copyTo(float[])} against the JDK's bulk
 *       {@code FloatBuffer.get(float[])} from direct memory and TensorFlow Java's
 *       {@code copyTo(DataBuffers.of(float[]))}.</li>
 *   <li>Into a new {@code float[]}: {@code toHost().toFloatArray()} against ND4J's {@code toFloatVector()}.</li>
 *   <li>Into a direct buffer: {@code toHost(CopyPolicy.ALWAYS)}, which allocates new memory and copies into
 *       it, against the JDK doing the same ({@code ByteBuffer.allocateDirect(n).put(source)}), the JDK's
 *       {@code put} into a buffer allocated once (the copy alone) and TensorFlow Java's
 *       {@code copyTo(DataBuffers.of(directFloatBuffer))} into a buffer allocated once.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class P2CopyConversion {
    private static final float VALUE = 1.5f;

    /** Bytes of the float32 tensor. */
    @Param({"4KiB", "4MiB", "256MiB"})
    public String size;

    /** The tensor, on the CPU backend found through {@code Backends}. */
    @State(Scope.Benchmark)
    public static class Tensorbridge {
        Tensor tensor;

        @Setup(Level.Trial)
        public void setUp(P2CopyConversion bench) {
            tensor = Backends.get("cpu").fill(DType.FLOAT32, Shape.of(Sizes.floats(bench.size)), VALUE);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tensor.close();
        }
    }

    /** A host array of the tensor kept open, to time the guarded copy without toHost and close. */
    @State(Scope.Benchmark)
    public static class OpenHostArray {
        Tensor tensor;
        HostArray host;

        @Setup(Level.Trial)
        public void setUp(P2CopyConversion bench) {
            tensor = Backends.get("cpu").fill(DType.FLOAT32, Shape.of(Sizes.floats(bench.size)), VALUE);
            host = tensor.toHost();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            host.close();
            tensor.close();
        }
    }

    /** The same elements in a direct buffer, for the JDK's own bulk copies. */
    @State(Scope.Benchmark)
    public static class Jdk {
        ByteBuffer bytes;
        FloatBuffer floats;

        @Setup(Level.Trial)
        public void setUp(P2CopyConversion bench) {
            bytes = ByteBuffer.allocateDirect(Sizes.bytes(bench.size)).order(ByteOrder.nativeOrder());
            floats = bytes.asFloatBuffer();
            for (int i = 0; i < floats.capacity(); i++) {
                floats.put(i, VALUE);
            }
        }
    }

    /** The same elements in a plain ND4J array. */
    @State(Scope.Benchmark)
    public static class Nd4jArray {
        INDArray array;

        @Setup(Level.Trial)
        public void setUp(P2CopyConversion bench) {
            array = Nd4j.valueArrayOf(new long[] {Sizes.floats(bench.size)}, VALUE, DataType.FLOAT);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            array.close();
        }
    }

    /** The same elements in a TensorFlow tensor. */
    @State(Scope.Benchmark)
    public static class TensorFlow {
        TFloat32 tensor;

        @Setup(Level.Trial)
        public void setUp(P2CopyConversion bench) {
            float[] values = new float[Sizes.floats(bench.size)];
            Arrays.fill(values, VALUE);
            tensor = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(values.length),
                    DataBuffers.of(values, true, false));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tensor.close();
        }
    }

    /** Destinations allocated once: a {@code float[]} and a direct buffer, and TensorFlow's wrappers of them. */
    @State(Scope.Benchmark)
    public static class Destinations {
        float[] floats;
        ByteBuffer direct;
        FloatDataBuffer floatsForTensorFlow;
        FloatDataBuffer directForTensorFlow;

        @Setup(Level.Trial)
        public void setUp(P2CopyConversion bench) {
            floats = new float[Sizes.floats(bench.size)];
            direct = ByteBuffer.allocateDirect(Sizes.bytes(bench.size)).order(ByteOrder.nativeOrder());
            floatsForTensorFlow = DataBuffers.of(floats, false, false);
            directForTensorFlow = DataBuffers.of(direct.asFloatBuffer());
        }
    }

    // ---- into a caller's float[] ----

    @Benchmark
    public float[] tensorbridgeCopyToFloatArray(Tensorbridge source, Destinations to) {
        try (HostArray host = source.tensor.toHost()) {
            host.copyTo(to.floats);
        }
        return to.floats;
    }

    /** Context for the line above: the access-guarded copy alone, out of a host array kept open. */
    @Benchmark
    public float[] tensorbridgeCopyToFloatArrayFromOpenHostArray(OpenHostArray source, Destinations to) {
        source.host.copyTo(to.floats);
        return to.floats;
    }

    @Benchmark
    public float[] jdkFloatBufferGetFloatArray(Jdk source, Destinations to) {
        source.floats.get(0, to.floats);
        return to.floats;
    }

    @Benchmark
    public float[] tensorflowCopyToFloatArray(TensorFlow source, Destinations to) {
        source.tensor.copyTo(to.floatsForTensorFlow);
        return to.floats;
    }

    // ---- into a new float[] ----

    @Benchmark
    public float[] tensorbridgeToFloatArray(Tensorbridge source) {
        try (HostArray host = source.tensor.toHost()) {
            return host.toFloatArray();
        }
    }

    @Benchmark
    public float[] nd4jToFloatVector(Nd4jArray source) {
        return source.array.toFloatVector();
    }

    // ---- into a direct buffer ----

    @Benchmark
    public HostArray tensorbridgeToHostAlways(Tensorbridge source) {
        HostArray copy = source.tensor.toHost(CopyPolicy.ALWAYS);
        copy.close();
        return copy;
    }

    @Benchmark
    public ByteBuffer jdkAllocateDirectPut(Jdk source) {
        int bytes = source.bytes.capacity();
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder()).put(0, source.bytes, 0, bytes);
    }

    @Benchmark
    public ByteBuffer jdkDirectPut(Jdk source, Destinations to) {
        return to.direct.put(0, source.bytes, 0, source.bytes.capacity());
    }

    @Benchmark
    public ByteBuffer tensorflowCopyToDirectBuffer(TensorFlow source, Destinations to) {
        source.tensor.copyTo(to.directForTensorFlow);
        return to.direct;
    }
}
