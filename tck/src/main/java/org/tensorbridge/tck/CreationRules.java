package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/** Rules 8.x: creating tensors. */
public interface CreationRules extends KitContext {

    @Test
    @ConformanceRule("8.1")
    default void neverWrapsExactlyWhenDeclared() {
        ByteBuffer buffer = Elements.buffer(DType.FLOAT32, new double[] {1, 2, 3, 4});
        if (declared().wrapsHostBuffers()) {
            try (Tensor tensor = backend().fromBuffer(buffer, DType.FLOAT32, Shape.of(2, 2), CopyPolicy.NEVER)) {
                buffer.putFloat(3 * Float.BYTES, -4f);
                assertArrayEquals(new double[] {1, 2, 3, -4}, fixtures().values(tensor), "the backend declares "
                        + "wrapsHostBuffers but a write to the wrapped buffer did not show in the tensor");
                assertEquals(0, buffer.position(), "fromBuffer moved the buffer's position");
            }
        } else {
            assertThrows(CopyRequiredException.class,
                    () -> backend().fromBuffer(buffer, DType.FLOAT32, Shape.of(2, 2), CopyPolicy.NEVER).close(),
                    "the backend declares no wrapping, so fromBuffer with NEVER must throw CopyRequiredException");
        }
        ByteBuffer heap = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        assertThrows(CopyRequiredException.class,
                () -> backend().fromBuffer(heap, DType.FLOAT32, Shape.of(4), CopyPolicy.NEVER).close(),
                "a heap buffer cannot be wrapped; NEVER must throw CopyRequiredException");
    }

    @Test
    @ConformanceRule("8.2")
    default void foreignByteOrderIsReadCorrectly() {
        ByteOrder foreign = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer buffer = ByteBuffer.allocateDirect(4 * Float.BYTES).order(foreign);
        buffer.asFloatBuffer().put(new float[] {1.5f, -2f, 3.25f, 1e6f});
        try (Tensor tensor = backend().fromBuffer(buffer, DType.FLOAT32, Shape.of(4), CopyPolicy.IF_NEEDED)) {
            assertArrayEquals(new double[] {1.5, -2, 3.25, 1e6}, fixtures().values(tensor),
                    "a " + foreign + " buffer was not read in its own byte order");
        }
        assertThrows(CopyRequiredException.class,
                () -> backend().fromBuffer(buffer, DType.FLOAT32, Shape.of(4), CopyPolicy.NEVER).close(),
                "a " + foreign + " buffer cannot be wrapped on a " + ByteOrder.nativeOrder() + " platform");
    }

    @Test
    @ConformanceRule("8.3")
    default void constantsHoldTheirValues() {
        for (DType dtype : declared().supportedDTypes()) {
            try (Tensor zeros = backend().zeros(dtype, Shape.of(2, 3));
                    Tensor ones = backend().ones(dtype, Shape.of(3));
                    Tensor sevens = backend().fill(dtype, Shape.of(2, 2), dtype == DType.BOOL ? 1 : 7)) {
                assertArrayEquals(new double[6], fixtures().values(zeros), "zeros " + dtype.displayName());
                assertArrayEquals(new double[] {1, 1, 1}, fixtures().values(ones), "ones " + dtype.displayName());
                double seven = dtype == DType.BOOL ? 1 : 7;
                assertArrayEquals(new double[] {seven, seven, seven, seven}, fixtures().values(sevens),
                        "fill " + dtype.displayName());
            }
        }
        checkConstant(DType.INT32, () -> backend().constant(new int[][] {{1, 2}, {3, 4}}), 1, 2, 3, 4);
        checkConstant(DType.FLOAT32, () -> backend().constant(new float[] {1.5f, 2, 3, 4, 5, 6}, 3, 2), 1.5, 2, 3, 4, 5, 6);
        checkConstant(DType.FLOAT64, () -> backend().constant(new double[][][] {{{1}, {2}}, {{3}, {4}}}), 1, 2, 3, 4);
        checkConstant(DType.INT64, () -> backend().constant(new long[] {1L << 40, -1}), 1L << 40, -1);
        checkConstant(DType.BOOL, () -> backend().constant(new boolean[][] {{true, false}}), 1, 0);
        checkConstant(DType.INT8, () -> backend().constant(new byte[] {-128, 127}), -128, 127);
        checkConstant(DType.INT16, () -> backend().constant(new short[] {-300, 300}), -300, 300);
    }

    private void checkConstant(DType dtype, java.util.function.Supplier<Tensor> create, double... expected) {
        if (!declared().supports(dtype)) {
            return;
        }
        try (Tensor tensor = create.get()) {
            assertEquals(dtype, tensor.dtype(), "dtype of a Java-array constant");
            assertArrayEquals(expected, fixtures().values(tensor), dtype.displayName() + " constant from a Java array");
        }
    }
}
