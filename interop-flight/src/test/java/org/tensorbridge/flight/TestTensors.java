package org.tensorbridge.flight;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/** Tensors whose every element is known, and their values read back. */
final class TestTensors {
    private TestTensors() {
    }

    static Backend cpu() {
        return Backends.get("cpu");
    }

    /** A float32 tensor of {@code shape} whose element {@code i} (row-major) is {@code i * 0.5 + offset}. */
    static Tensor ramp(Backend backend, float offset, long... shape) {
        Shape s = Shape.of(shape);
        ByteBuffer data = ByteBuffer.allocateDirect((int) (s.elementCount() * 4)).order(ByteOrder.nativeOrder());
        for (int i = 0; i < s.elementCount(); i++) {
            data.putFloat(i * 4, i * 0.5f + offset);
        }
        return backend.fromBuffer(data, DType.FLOAT32, s, CopyPolicy.IF_NEEDED);
    }

    static float[] values(Tensor tensor) {
        try (HostArray host = tensor.toHost(CopyPolicy.IF_NEEDED)) {
            return host.toFloatArray();
        }
    }

    static float[] ramp(float offset, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = i * 0.5f + offset;
        }
        return values;
    }
}
