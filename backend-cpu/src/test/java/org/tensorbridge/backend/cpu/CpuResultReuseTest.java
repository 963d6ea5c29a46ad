package org.tensorbridge.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * Results of elementwise ops live in reusable host blocks, so a buffer handed out over a result must
 * keep the result's values after the tensor closes, however many later results are computed: the
 * block it shows is never given to them. Both the Java kernels (small) and ND4J's (large).
 */
class CpuResultReuseTest {
    private final Backend cpu = Backends.get("cpu");

    @ParameterizedTest
    @ValueSource(ints = {1024, 100_000})
    void aBufferHandedOutOverAResultNeverSeesALaterResult(int n) {
        ByteBuffer stale;
        try (Tensor x = cpu.fill(DType.FLOAT32, Shape.of(n), 2f); Tensor sum = x.add(x);
                HostArray view = sum.toHost(CopyPolicy.NEVER)) {
            stale = view.asByteBuffer().order(ByteOrder.nativeOrder());
        }
        List<Tensor> later = new ArrayList<>();
        try (Tensor y = cpu.fill(DType.FLOAT32, Shape.of(n), -1f)) {
            for (int i = 0; i < 8; i++) {
                try (Tensor square = y.multiply(y)) {
                    later.add(square.subtract(y));
                }
            }
            for (int i = 0; i < n; i += 997) {
                assertEquals(4f, stale.getFloat(i * Float.BYTES), "element " + i + " of a closed result's buffer");
            }
        } finally {
            later.forEach(Tensor::close);
        }
    }
}
