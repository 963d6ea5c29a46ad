package org.tensorbridge.bench;

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
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorflow.op.math.Add;
import org.tensorflow.op.math.Mul;
import org.tensorflow.types.TFloat32;

/**
 * P4, eager elementwise {@code add} and {@code multiply} of two float32 vectors on the CPU backend,
 * each call allocating its result, against raw ND4J ({@code a.add(b)}, {@code a.mul(b)}) and
 * TensorFlow Java's eager {@code math.add} / {@code math.mul}.
 *
 * <p>Every result is released inside the call, as a loop that keeps memory flat must: tensorbridge
 * and ND4J results are closed; TensorFlow's are freed through {@link TensorFlowEagerResults}, because its
 * eager session otherwise keeps them until a garbage collection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = NativeKernelWarmUp.ITERATIONS, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class P4EagerArithmetic {
    /** Elements of each operand. */
    @Param({"1K", "1M", "16M"})
    public String count;

    /** Two tensors on the CPU backend found through {@code Backends}. */
    @State(Scope.Benchmark)
    public static class Tensorbridge {
        Tensor a;
        Tensor b;

        @Setup(Level.Trial)
        public void setUp(P4EagerArithmetic bench) {
            Backend cpu = Backends.get("cpu");
            Shape shape = Shape.of(Sizes.elements(bench.count));
            a = cpu.fill(DType.FLOAT32, shape, AddGraph.A);
            b = cpu.fill(DType.FLOAT32, shape, AddGraph.B);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            a.close();
            b.close();
        }
    }

    /** Two plain ND4J arrays. */
    @State(Scope.Benchmark)
    public static class Nd4jArrays {
        INDArray a;
        INDArray b;

        @Setup(Level.Trial)
        public void setUp(P4EagerArithmetic bench) {
            long[] shape = {Sizes.elements(bench.count)};
            a = Nd4j.valueArrayOf(shape, AddGraph.A, DataType.FLOAT);
            b = Nd4j.valueArrayOf(shape, AddGraph.B, DataType.FLOAT);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            a.close();
            b.close();
        }
    }

    /** {@link TensorFlowConstantPair}: two constants in a TensorFlow Java eager session of their own. */
    @State(Scope.Benchmark)
    public static class TensorFlow {
        TensorFlowConstantPair constants;

        @Setup(Level.Trial)
        public void setUp(P4EagerArithmetic bench) {
            constants = new TensorFlowConstantPair(Sizes.elements(bench.count));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            constants.close();
        }
    }

    @Benchmark
    public Tensor tensorbridgeAdd(Tensorbridge operands) {
        Tensor sum = operands.a.add(operands.b);
        sum.close();
        return sum;
    }

    @Benchmark
    public Tensor tensorbridgeMultiply(Tensorbridge operands) {
        Tensor product = operands.a.multiply(operands.b);
        product.close();
        return product;
    }

    @Benchmark
    public INDArray nd4jAdd(Nd4jArrays operands) {
        INDArray sum = operands.a.add(operands.b);
        sum.close();
        return sum;
    }

    @Benchmark
    public INDArray nd4jMul(Nd4jArrays operands) {
        INDArray product = operands.a.mul(operands.b);
        product.close();
        return product;
    }

    @Benchmark
    public Add<TFloat32> tensorflowAdd(TensorFlow operands) {
        Add<TFloat32> sum = operands.constants.tf.math.add(operands.constants.a, operands.constants.b);
        TensorFlowEagerResults.free(sum);
        return sum;
    }

    @Benchmark
    public Mul<TFloat32> tensorflowMul(TensorFlow operands) {
        Mul<TFloat32> product = operands.constants.tf.math.mul(operands.constants.a, operands.constants.b);
        TensorFlowEagerResults.free(product);
        return product;
    }
}
