package org.tensorbridge.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;

/**
 * What this backend declares, and the places where TensorFlow's own value differs from tensorbridge's
 * definition and the backend corrects it: casts of NaN and of values beyond an integer's range, subnormal
 * numbers (TensorFlow flushes them to zero in its kernels), a cast to the same dtype.
 */
class TensorflowSemanticsTest {
    private static final TensorflowBackend BACKEND = TensorflowBackend.create();

    @AfterAll
    static void noMemoryLeftOpen() {
        assertEquals(0, BACKEND.ledger().liveBlocks());
    }

    @Test
    void capabilitiesSayWhatTensorflowJavaHas() {
        assertEquals(EnumSet.of(DType.BOOL, DType.UINT8, DType.INT32, DType.INT64, DType.FLOAT16, DType.BFLOAT16,
                DType.FLOAT32, DType.FLOAT64), BACKEND.capabilities().supportedDTypes(), "no int8 or int16 types");
        assertTrue(BACKEND.capabilities().sharesHostMemory());
        assertTrue(BACKEND.capabilities().sharesWritable());
        assertFalse(BACKEND.capabilities().wrapsHostBuffers(), "TensorFlow copies memory it did not allocate");
        assertThrows(UnsupportedDTypeException.class, () -> BACKEND.fill(DType.INT8, Shape.of(1), 1));
    }

    @Test
    void fromBufferUnderNeverIsRefusedNamingThePolicyThatWorks() {
        ByteBuffer data = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        CopyRequiredException e = assertThrows(CopyRequiredException.class,
                () -> BACKEND.fromBuffer(data, DType.FLOAT32, Shape.of(2), CopyPolicy.NEVER));
        assertEquals("TB-COPY-REQUIRED", e.code());
        assertTrue(e.getMessage().contains("IF_NEEDED"), e.getMessage());
        try (Tensor copied = BACKEND.fromBuffer(data, DType.FLOAT32, Shape.of(2), CopyPolicy.IF_NEEDED)) {
            assertEquals(Shape.of(2), copied.shape());
        }
    }

    @Test
    void castsFromFloatingPointAreJavas() {
        float[] values = {Float.NaN, 1e10f, -1e10f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -2.7f, 300.5f};
        try (Tensor x = BACKEND.constant(values, values.length); Tensor i = x.cast(DType.INT32);
                Tensor l = x.cast(DType.INT64); Tensor u = x.cast(DType.UINT8);
                HostArray ints = i.toHost(); HostArray longs = l.toHost(); HostArray bytes = u.toHost()) {
            for (int k = 0; k < values.length; k++) {
                assertEquals((int) values[k], ints.getInt(k), "int32 of " + values[k]);
                assertEquals((long) values[k], longs.getLong(k), "int64 of " + values[k]);
                assertEquals(((int) values[k]) & 0xff, bytes.getByte(k) & 0xff, "uint8 of " + values[k]);
            }
        }
    }

    @Test
    void aCastToTheSameDtypeIsANewTensor() {
        try (Tensor x = BACKEND.constant(new float[] {1, 2}, 2); Tensor y = x.cast(DType.FLOAT32);
                HostArray view = y.toHost(CopyPolicy.NEVER, org.tensorbridge.Access.WRITABLE);
                HostArray original = x.toHost()) {
            view.setFloat(9, 0);
            assertEquals(1f, original.getFloat(0), "TensorFlow returns its input for a cast to the same dtype");
        }
    }

    @Test
    void subnormalsSurviveWhereTheDefinitionKeepsThem() {
        float tiny = Float.MIN_VALUE;
        try (Tensor a = BACKEND.constant(new float[] {tiny, -0f, 3e-39f}, 3);
                Tensor b = BACKEND.constant(new float[] {0f, 0f, 1f}, 3);
                Tensor max = a.maximum(b); Tensor min = a.minimum(b); Tensor root = a.sqrt(); Tensor top = a.max();
                Tensor largest = BACKEND.constant(new float[] {Float.MAX_VALUE}, 1); Tensor inverse = largest.pow(-1);
                HostArray mx = max.toHost(); HostArray mn = min.toHost(); HostArray r = root.toHost();
                HostArray t = top.toHost(); HostArray inv = inverse.toHost()) {
            assertArrayEquals(new float[] {tiny, 0f, 1f}, mx.toFloatArray(), 0f);
            assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(mn.getFloat(1)), "min(-0, +0) is -0");
            assertEquals((float) Math.sqrt(tiny), r.getFloat(0), "sqrt of the smallest subnormal");
            assertEquals(3e-39f, t.getFloat(), "max over subnormals and zeros");
            assertEquals(1 / Float.MAX_VALUE, inv.getFloat(0), "a subnormal power");
        }
    }
}
