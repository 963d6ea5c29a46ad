package org.tensorbridge.bench;

import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
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
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.arrow.ArrowExport;
import org.tensorbridge.arrow.ArrowImport;
import org.tensorbridge.arrow.ExportedTensor;

/**
 * P6, Arrow interop on the CPU backend: {@code ArrowExport.export} of a float32 tensor into an
 * {@code arrow.fixed_shape_tensor} column (shared memory; a read-only column, whose validity bitmaps are
 * lent from a block of set bits rather than written), and {@code ArrowImport.toTensor} of such a column
 * back into a tensor ({@code NEVER}: shared; the lent bitmaps need no scan), at 4 KiB,
 * 64 MiB and 256 MiB, against filling a {@code Float4Vector} of the same size element by element
 * ({@code allocateNew}, {@code set} per element, {@code setValueCount}, {@code close}). The tensor has
 * rows of 1024 floats (4 KiB: one row). Everything made in a call is closed in it; each trial has its
 * own {@link RootAllocator}, closed last (it throws on a leak).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class P6ArrowInterop {
    private static final int ROW = 1024;
    private static final float VALUE = 1.5f;

    /** Bytes of the float32 tensor (and of the vector's data buffer). */
    @Param({"4KiB", "64MiB", "256MiB"})
    public String size;

    /** A tensor, a column exported from it once (for the import), and the trial's allocator. */
    @State(Scope.Benchmark)
    public static class Tensorbridge {
        Backend cpu;
        BufferAllocator allocator;
        Tensor tensor;
        ExportedTensor column;

        @Setup(Level.Trial)
        public void setUp(P6ArrowInterop bench) {
            cpu = Backends.get("cpu");
            allocator = new RootAllocator();
            int floats = Sizes.floats(bench.size);
            tensor = cpu.fill(DType.FLOAT32, Shape.of(floats / ROW, ROW), VALUE);
            column = ArrowExport.export(tensor, "t", allocator);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            column.close();
            tensor.close();
            allocator.close();
        }
    }

    /** The trial's allocator for the element-by-element fill. */
    @State(Scope.Benchmark)
    public static class ArrowFill {
        BufferAllocator allocator;
        int floats;

        @Setup(Level.Trial)
        public void setUp(P6ArrowInterop bench) {
            allocator = new RootAllocator();
            floats = Sizes.floats(bench.size);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            allocator.close();
        }
    }

    @Benchmark
    public ExportedTensor tensorbridgeExport(Tensorbridge side) {
        ExportedTensor exported = ArrowExport.export(side.tensor, "t", side.allocator);
        exported.close();
        return exported;
    }

    @Benchmark
    public Tensor tensorbridgeImport(Tensorbridge side) {
        Tensor imported = ArrowImport.toTensor(side.column.vector(), side.cpu, CopyPolicy.NEVER);
        imported.close();
        return imported;
    }

    @Benchmark
    public Float4Vector arrowFillElementByElement(ArrowFill side) {
        Float4Vector vector = new Float4Vector("t", side.allocator);
        vector.allocateNew(side.floats);
        for (int i = 0; i < side.floats; i++) {
            vector.set(i, VALUE);
        }
        vector.setValueCount(side.floats);
        vector.close();
        return vector;
    }
}
