package org.tensorbridge.bench;

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
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorflow.EagerSession;
import org.tensorflow.op.math.Add;
import org.tensorflow.op.math.Mul;
import org.tensorflow.types.TFloat32;

/**
 * P8a, eager {@code add} and {@code multiply} of two float32 vectors on the TensorFlow backend, each call
 * allocating its result (TensorFlow's output, adopted) and closing it, against TensorFlow Java's own eager
 * {@code math.add} / {@code math.mul} on constants of an {@code EagerSession}, each result freed inside the call
 * ({@link TensorFlowEagerResults}). Both run TensorFlow's same CPU kernels; the difference is what each side
 * adds around them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = NativeKernelWarmUp.ITERATIONS, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class P8aTensorflowEager {
    /** Elements of each operand. */
    @Param({"1M", "16M"})
    public String count;

    /** Two tensors on the TensorFlow backend found through {@code Backends}. */
    @State(Scope.Benchmark)
    public static class Tensorbridge {
        Tensor a;
        Tensor b;

        @Setup(Level.Trial)
        public void setUp(P8aTensorflowEager bench) {
            Backend tensorflow = Backends.get("tensorflow");
            Shape shape = Shape.of(Sizes.elements(bench.count));
            a = tensorflow.fill(DType.FLOAT32, shape, AddGraph.A);
            b = tensorflow.fill(DType.FLOAT32, shape, AddGraph.B);
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
        public void setUp(P8aTensorflowEager bench) {
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
