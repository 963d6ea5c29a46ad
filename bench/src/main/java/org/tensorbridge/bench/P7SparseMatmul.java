package org.tensorbridge.bench;

import java.util.SplittableRandom;
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
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;

/**
 * P7, sparse × dense matmul on the CPU backend: a float32 {@code 4096 × 4096} COO sparse tensor
 * ({@code backend.sparseCoo}, canonical order, positions drawn at random with the given density) times a
 * dense {@code 4096 × 64} tensor, the dense result closed in the call. The baseline, SciPy's CSR
 * {@code A @ B} at the same sizes and densities, is timed by {@code bench/numpy_peers.py} in the same
 * command and recorded beside the JMH results.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class P7SparseMatmul {
    private static final int M = 4096;
    private static final int K = 4096;
    private static final int N = 64;

    /** Fraction of the sparse operand's elements that are stored. */
    @Param({"0.01", "0.10"})
    public String density;

    SparseTensor sparse;
    Tensor dense;

    @Setup(Level.Trial)
    public void setUp() {
        Backend cpu = Backends.get("cpu");
        double fraction = Double.parseDouble(density);
        SplittableRandom random = new SplittableRandom(8);
        long[] positions = new long[(int) (M * (long) K * fraction * 1.1) + 1024];
        int nnz = 0;
        for (long p = 0; p < (long) M * K; p++) {
            if (random.nextDouble() < fraction) {
                if (nnz == positions.length) {
                    positions = java.util.Arrays.copyOf(positions, positions.length * 2);
                }
                positions[nnz++] = p;
            }
        }
        long[] indices = new long[nnz * 2];
        float[] values = new float[nnz];
        for (int i = 0; i < nnz; i++) {
            indices[2 * i] = positions[i] / K;
            indices[2 * i + 1] = positions[i] % K;
            values[i] = (float) random.nextDouble();
        }
        try (Tensor index = cpu.constant(indices, nnz, 2); Tensor value = cpu.constant(values, nnz)) {
            sparse = cpu.sparseCoo(index, value, Shape.of(M, K));
        }
        dense = cpu.fill(DType.FLOAT32, Shape.of(K, N), 0.5f);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sparse.close();
        dense.close();
    }

    @Benchmark
    public Tensor tensorbridgeSparseMatmul() {
        Tensor product = sparse.matmul(dense);
        product.close();
        return product;
    }
}
