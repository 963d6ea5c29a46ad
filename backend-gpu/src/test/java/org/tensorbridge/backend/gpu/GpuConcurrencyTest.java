package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Tensor;

/**
 * One backend driven from several threads at once: every result is right and nothing crashes, since
 * the OpenCL queue and the shared kernels are used under the backend's lock. Skipped without OpenCL.
 */
class GpuConcurrencyTest {

    @Test
    void operationsFromSeveralThreadsGiveTheirOwnResults() throws Exception {
        try (GpuBackend backend = OpenCl.backendOrSkip()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int thread = 0; thread < 4; thread++) {
                    int seed = thread;
                    work.add(pool.submit(() -> {
                        for (int i = 0; i < 150; i++) {
                            float v = seed * 1000 + i;
                            try (Tensor a = backend.fill(DType.FLOAT32, Shape.of(3, 4), v);
                                    Tensor b = backend.ones(DType.FLOAT32, Shape.of(4, 2));
                                    Tensor product = a.matmul(b); Tensor sum = product.add(1);
                                    Tensor index = backend.constant(new long[] {1, 0, 1}, 3, 1);
                                    Tensor values = backend.fill(DType.FLOAT32, Shape.of(3), v);
                                    SparseTensor s = backend.sparseCoo(index, values, Shape.of(2));
                                    Tensor dense = s.toDense(2); HostArray host = sum.toHost();
                                    HostArray d = dense.toHost()) {
                                assertEquals(4 * v + 1, host.getFloat(2, 1), "thread " + seed + " iteration " + i);
                                assertEquals(2 * v, d.getFloat(1), "thread " + seed + " iteration " + i);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(0, backend.ledger().liveBlocks(), backend.ledger().toString());
            assertEquals(0, backend.liveDeviceBuffers());
        }
    }
}
