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

    @Test
    @ConformanceRule("8.4")
    default void ownerIsClosedOnceWhenTheMemoryIsReleased() {
        java.util.concurrent.atomic.AtomicInteger closes = new java.util.concurrent.atomic.AtomicInteger();
        AutoCloseable owner = closes::incrementAndGet;
        ByteBuffer buffer = Elements.buffer(DType.FLOAT32, new double[] {1, 2, 3, 4});
        Tensor tensor = backend().fromBuffer(buffer, DType.FLOAT32, Shape.of(4), CopyPolicy.IF_NEEDED, owner);
        if (!declared().wrapsHostBuffers()) {
            tensor.close();
            assertEquals(1, closes.get(), "the data was copied, so the owner must be closed at once, and once");
            return;
        }
        Tensor view = tensor.reshape(2, 2);
        org.tensorbridge.HostArray host = view.toHost();
        tensor.close();
        view.close();
        assertEquals(0, closes.get(), "the owner was closed while a host array still holds the memory");
        assertEquals(4.0, host.getAsDouble(1, 1), "the host array after its tensor and view were closed");
        host.close();
        host.close();
        assertEquals(1, closes.get(), "the owner must be closed exactly once, when the last holder closes");
        AtomicIntegerOwner failed = new AtomicIntegerOwner();
        assertThrows(org.tensorbridge.ShapeMismatchException.class, () -> backend().fromBuffer(
                Elements.buffer(DType.FLOAT32, new double[] {1, 2}), DType.FLOAT32, Shape.of(3), CopyPolicy.NEVER,
                failed).close(), "a buffer too short for its shape");
        assertEquals(1, failed.closes.get(), "a failed call must close the owner it was given");
        AtomicIntegerOwner copied = new AtomicIntegerOwner();
        backend().fromBuffer(Elements.buffer(DType.FLOAT32, new double[] {1}), DType.FLOAT32, Shape.of(1),
                CopyPolicy.ALWAYS, copied).close();
        assertEquals(1, copied.closes.get(), "a copied buffer's owner must be closed once");
    }

    /** Counts closes. */
    final class AtomicIntegerOwner implements AutoCloseable {
        final java.util.concurrent.atomic.AtomicInteger closes = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }
}
