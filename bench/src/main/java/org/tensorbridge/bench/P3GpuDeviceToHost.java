package org.tensorbridge.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
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
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.backend.gpu.GpuBackend;
import org.tensorbridge.backend.gpu.GpuBackendProvider;

/**
 * P3, device to host on the GPU backend: {@code toHost()} of a float32 tensor in OpenCL device memory
 * (one blocking {@code clEnqueueReadBuffer} into host memory of its own: pinned memory from the backend's
 * pool on a discrete GPU, the library's pageable host pool elsewhere) at 4 MiB and 256 MiB, against raw
 * JOCL on the same device in the same run: a blocking {@code clEnqueueReadBuffer} of the same bytes into
 * a pageable direct buffer allocated once (the baseline), into a direct buffer allocated per call,
 * and into a pinned buffer ({@code CL_MEM_ALLOC_HOST_PTR}, mapped once: the bus's speed). A second
 * backend with staging turned off ({@code tensorbridge.gpu.pinned=never}) shows what pinning gains.
 *
 * <p>Needs an OpenCL device (Backends.get("gpu") must be available). Where there is no GPU the backend,
 * and therefore this benchmark, runs on PoCL on the CPU, where "device memory" is host memory and a read
 * is a {@code memcpy}; the figures then say nothing about a PCIe transfer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
// Three forks: on a real GPU a 256 MiB read moved ±20 % between single-fork runs (where the JVM's memory
// landed), more than the difference being measured.
@Fork(value = 3, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class P3GpuDeviceToHost {
    private static final float VALUE = 1.5f;
    private static final String PINNED_PROPERTY = "tensorbridge.gpu.pinned";

    /** Bytes of the float32 tensor. */
    @Param({"4MiB", "256MiB"})
    public String size;

    /** The tensor in device memory, on the GPU backend found through {@code Backends}. */
    @State(Scope.Benchmark)
    public static class Tensorbridge {
        Tensor tensor;

        @Setup(Level.Trial)
        public void setUp(P3GpuDeviceToHost bench) {
            tensor = Backends.get("gpu").fill(DType.FLOAT32, Shape.of(Sizes.floats(bench.size)), VALUE);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tensor.close();
        }
    }

    /** The same tensor on a backend of its own that copies into pageable memory, staging turned off. */
    @State(Scope.Benchmark)
    public static class PageableTensorbridge {
        GpuBackend backend;
        Tensor tensor;

        @Setup(Level.Trial)
        public void setUp(P3GpuDeviceToHost bench) {
            String before = System.getProperty(PINNED_PROPERTY);
            System.setProperty(PINNED_PROPERTY, "never");
            try {
                backend = (GpuBackend) new GpuBackendProvider().create();
            } finally {
                if (before == null) {
                    System.clearProperty(PINNED_PROPERTY);
                } else {
                    System.setProperty(PINNED_PROPERTY, before);
                }
            }
            tensor = backend.fill(DType.FLOAT32, Shape.of(Sizes.floats(bench.size)), VALUE);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tensor.close();
            backend.close();
        }
    }

    /** Raw JOCL: its own context, queue and buffer on the device the GPU backend chose, filled the same way. */
    @State(Scope.Benchmark)
    public static class RawJocl {
        cl_context context;
        cl_command_queue queue;
        cl_mem memory;
        ByteBuffer direct;
        cl_mem pinnedMemory;
        ByteBuffer pinned;
        int bytes;

        @Setup(Level.Trial)
        public void setUp(P3GpuDeviceToHost bench) {
            bytes = Sizes.bytes(bench.size);
            Backend gpu = Backends.get("gpu");
            cl_platform_id[] platform = new cl_platform_id[1];
            cl_device_id device = OpenClDevices.named(gpu.device().name(), platform);
            cl_context_properties properties = new cl_context_properties();
            properties.addProperty(CL.CL_CONTEXT_PLATFORM, platform[0]);
            int[] status = new int[1];
            context = CL.clCreateContext(properties, 1, new cl_device_id[] {device}, null, null, status);
            OpenClDevices.check(status[0], "clCreateContext");
            @SuppressWarnings("deprecation") // OpenCL 1.2, as the backend
            cl_command_queue q = CL.clCreateCommandQueue(context, device, 0, status);
            OpenClDevices.check(status[0], "clCreateCommandQueue");
            queue = q;
            memory = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes, null, status);
            OpenClDevices.check(status[0], "clCreateBuffer");
            direct = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            for (int i = 0; i < bytes; i += Float.BYTES) {
                direct.putFloat(i, VALUE);
            }
            OpenClDevices.check(CL.clEnqueueWriteBuffer(queue, memory, CL.CL_TRUE, 0, bytes, Pointer.to(direct), 0, null,
                    null), "clEnqueueWriteBuffer");
            pinnedMemory = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE | CL.CL_MEM_ALLOC_HOST_PTR, bytes, null,
                    status);
            OpenClDevices.check(status[0], "clCreateBuffer(CL_MEM_ALLOC_HOST_PTR)");
            pinned = CL.clEnqueueMapBuffer(queue, pinnedMemory, CL.CL_TRUE, CL.CL_MAP_READ | CL.CL_MAP_WRITE, 0, bytes,
                    0, null, null, status);
            OpenClDevices.check(status[0], "clEnqueueMapBuffer");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            CL.clEnqueueUnmapMemObject(queue, pinnedMemory, pinned, 0, null, null);
            CL.clFinish(queue);
            CL.clReleaseMemObject(pinnedMemory);
            CL.clReleaseMemObject(memory);
            CL.clReleaseCommandQueue(queue);
            CL.clReleaseContext(context);
        }

        ByteBuffer read(ByteBuffer into) {
            OpenClDevices.check(CL.clEnqueueReadBuffer(queue, memory, CL.CL_TRUE, 0, bytes, Pointer.to(into), 0, null,
                    null), "clEnqueueReadBuffer");
            return into;
        }
    }

    @Benchmark
    public HostArray tensorbridgeToHost(Tensorbridge source) {
        HostArray copy = source.tensor.toHost();
        copy.close();
        return copy;
    }

    @Benchmark
    public HostArray tensorbridgeToHostPageable(PageableTensorbridge source) {
        HostArray copy = source.tensor.toHost();
        copy.close();
        return copy;
    }

    @Benchmark
    public ByteBuffer joclReadIntoPinnedBuffer(RawJocl source) {
        return source.read(source.pinned);
    }

    @Benchmark
    public ByteBuffer joclReadIntoDirectBuffer(RawJocl source) {
        return source.read(source.direct);
    }

    @Benchmark
    public ByteBuffer joclReadIntoNewDirectBuffer(RawJocl source) {
        return source.read(ByteBuffer.allocateDirect(source.bytes).order(ByteOrder.nativeOrder()));
    }
}
