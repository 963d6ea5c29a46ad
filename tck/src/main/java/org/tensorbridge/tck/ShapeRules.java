package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Operations;

/** Rules 5.x: scalars, empty tensors, ranks, broadcasting, reshape. */
public interface ShapeRules extends KitContext {

    @Test
    @ConformanceRule("5.1")
    default void scalarsConvertAndCompute() {
        try (Tensor two = backend().scalar(DType.FLOAT32, 2.5);
                Tensor sum = two.add(two);
                HostArray host = sum.toHost()) {
            assertEquals(Shape.scalar(), host.shape(), "shape of a scalar result");
            assertEquals(0, host.strides().length, "strides of a scalar");
            assertEquals(5f, host.getFloat(), "2.5 + 2.5 read with an empty index");
            assertEquals("5.0", host.formatValues(), "a scalar formats as its value");
        }
        try (Tensor vector = fixtures().floats(1, 2, 3);
                Tensor three = backend().scalar(DType.FLOAT32, 3);
                Tensor product = vector.multiply(three)) {
            assertArrayEquals(new double[] {3, 6, 9}, fixtures().values(product), "vector times scalar tensor");
        }
    }

    @Test
    @ConformanceRule("5.2")
    default void zeroSizeTensorsWork() {
        try (Tensor empty = backend().zeros(DType.FLOAT32, Shape.of(0, 3));
                Tensor row = fixtures().floats(1, 2, 3);
                Tensor sum = empty.add(row);
                Tensor reshaped = empty.reshape(3, 0);
                HostArray host = sum.toHost()) {
            assertEquals(Shape.of(0, 3), sum.shape(), "[0, 3] + [3]");
            assertEquals(0, host.toFloatArray().length, "elements of an empty host array");
            assertEquals(0, host.asByteBuffer().limit(), "bytes of an empty host array");
            assertEquals(Shape.of(3, 0), reshaped.shape(), "reshape of an empty tensor");
        }
        if (!declares(Operations.MATMUL, DType.FLOAT32)) {
            return;
        }
        try (Tensor left = backend().zeros(DType.FLOAT32, Shape.of(2, 0));
                Tensor right = backend().zeros(DType.FLOAT32, Shape.of(0, 3));
                Tensor product = left.matmul(right)) {
            assertEquals(Shape.of(2, 3), product.shape(), "[2, 0] x [0, 3]");
            assertArrayEquals(new double[6], fixtures().values(product), "[2, 0] x [0, 3] must be zeros");
        }
    }

    @Test
    @ConformanceRule("5.3")
    default void ranksOneToSixKeepRowMajorOrder() {
        Shape[] shapes = {Shape.of(5), Shape.of(2, 3), Shape.of(2, 3, 4), Shape.of(3, 1, 2, 2), Shape.of(1, 2, 3, 1, 2),
            Shape.of(2, 1, 2, 3, 1, 2)};
        for (Shape shape : shapes) {
            int count = (int) shape.elementCount();
            double[] values = Elements.sequence(DType.FLOAT32, count);
            try (Tensor tensor = fixtures().tensor(DType.FLOAT32, shape, values);
                    Tensor flat = tensor.reshape(-1)) {
                for (CopyPolicy policy : new CopyPolicy[] {CopyPolicy.IF_NEEDED, CopyPolicy.ALWAYS}) {
                    try (HostArray host = tensor.toHost(policy)) {
                        assertEquals(shape, host.shape(), "shape");
                        for (int i = 0; i < count; i++) {
                            assertEquals(values[i], host.getAsDouble(Elements.index(shape, i)), "element "
                                    + java.util.Arrays.toString(Elements.index(shape, i)) + " of " + shape + " ("
                                    + policy + ") is not at its row-major position");
                        }
                    }
                }
                assertArrayEquals(values, fixtures().values(flat), "reshape(-1) of " + shape + " changed the order");
            }
        }
    }

    @Test
    @ConformanceRule("5.4")
    default void binaryOperationsBroadcast() {
        Shape[][] cases = {
            {Shape.of(2, 3), Shape.of(3)}, {Shape.of(3, 1), Shape.of(1, 4)}, {Shape.of(2, 1, 3), Shape.of(4, 1)},
            {Shape.scalar(), Shape.of(2, 2)}, {Shape.of(1), Shape.of(5)}, {Shape.of(4, 1), Shape.of(4, 1)}};
        for (Shape[] pair : cases) {
            double[] a = Elements.sequence(DType.FLOAT32, (int) pair[0].elementCount());
            double[] b = Elements.sequence(DType.FLOAT32, (int) pair[1].elementCount());
            for (int i = 0; i < b.length; i++) {
                b[i] = b[i] * 10;
            }
            Shape out = Shape.broadcast(pair[0], pair[1]);
            double[] expected = Reference.broadcast(a, pair[0], b, pair[1], out, Double::sum);
            try (Tensor x = fixtures().tensor(DType.FLOAT32, pair[0], a);
                    Tensor y = fixtures().tensor(DType.FLOAT32, pair[1], b);
                    Tensor sum = x.add(y)) {
                assertEquals(out, sum.shape(), pair[0] + " + " + pair[1] + " shape");
                assertArrayEquals(expected, fixtures().values(sum), pair[0] + " + " + pair[1] + " values");
            }
        }
    }

    @Test
    @ConformanceRule("5.5")
    default void reshapeInfersOneDimension() {
        try (Tensor tensor = fixtures().tensor(DType.FLOAT32, Shape.of(2, 3, 2), Elements.sequence(DType.FLOAT32, 12));
                Tensor flat = tensor.reshape(-1);
                Tensor inferred = tensor.reshape(3, -1);
                Tensor scalarLike = backend().scalar(DType.FLOAT32, 7);
                Tensor one = scalarLike.reshape(1, 1)) {
            assertEquals(Shape.of(12), flat.shape(), "reshape(-1)");
            assertEquals(Shape.of(3, 4), inferred.shape(), "reshape(3, -1)");
            assertEquals(Shape.of(1, 1), one.shape(), "reshape of a scalar to [1, 1]");
            assertArrayEquals(fixtures().values(tensor), fixtures().values(inferred), "reshape kept the values");
        }
    }
}
