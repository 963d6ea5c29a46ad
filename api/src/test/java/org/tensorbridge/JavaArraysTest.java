package org.tensorbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class JavaArraysTest {

    // ---- flat ----

    @Test
    void flatWithoutShapeIsRankOne() {
        JavaArrays.Encoded encoded = JavaArrays.flat(new float[] {1.5f, -2f, 3f}, new long[0]);

        assertEquals(DType.FLOAT32, encoded.dtype());
        assertEquals(Shape.of(3), encoded.shape());
        assertArrayEquals(new float[] {1.5f, -2f, 3f}, floats(encoded));
    }

    @Test
    void flatWithShapeKeepsTheShapeAndRowMajorOrder() {
        JavaArrays.Encoded encoded = JavaArrays.flat(new int[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3});

        assertEquals(DType.INT32, encoded.dtype());
        assertEquals(Shape.of(2, 3), encoded.shape());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, ints(encoded));
    }

    @Test
    void flatOfEmptyArrayIsShapeZero() {
        JavaArrays.Encoded encoded = JavaArrays.flat(new double[0], new long[0]);

        assertEquals(Shape.of(0), encoded.shape());
        assertEquals(0, encoded.buffer().remaining());
    }

    @Test
    void flatMapsEveryPrimitiveToItsDType() {
        assertEquals(DType.BOOL, JavaArrays.flat(new boolean[] {true}, new long[0]).dtype());
        assertEquals(DType.INT8, JavaArrays.flat(new byte[] {1}, new long[0]).dtype());
        assertEquals(DType.INT16, JavaArrays.flat(new short[] {1}, new long[0]).dtype());
        assertEquals(DType.INT32, JavaArrays.flat(new int[] {1}, new long[0]).dtype());
        assertEquals(DType.INT64, JavaArrays.flat(new long[] {1}, new long[0]).dtype());
        assertEquals(DType.FLOAT32, JavaArrays.flat(new float[] {1}, new long[0]).dtype());
        assertEquals(DType.FLOAT64, JavaArrays.flat(new double[] {1}, new long[0]).dtype());
    }

    @Test
    void flatWritesEveryPrimitiveInNativeOrder() {
        ByteBuffer shorts = JavaArrays.flat(new short[] {1, -2, 0x1234}, new long[0]).buffer();
        assertEquals(1, shorts.getShort(0));
        assertEquals(-2, shorts.getShort(2));
        assertEquals(0x1234, shorts.getShort(4));

        ByteBuffer longs = JavaArrays.flat(new long[] {Long.MIN_VALUE, 0x0102030405060708L}, new long[0]).buffer();
        assertEquals(Long.MIN_VALUE, longs.getLong(0));
        assertEquals(0x0102030405060708L, longs.getLong(8));

        ByteBuffer doubles = JavaArrays.flat(new double[] {Math.PI, -0.0}, new long[0]).buffer();
        assertEquals(Math.PI, doubles.getDouble(0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(doubles.getDouble(8)));

        ByteBuffer bytes = JavaArrays.flat(new byte[] {-128, 127}, new long[0]).buffer();
        assertEquals(-128, bytes.get(0));
        assertEquals(127, bytes.get(1));

        ByteBuffer bools = JavaArrays.flat(new boolean[] {true, false, true}, new long[0]).buffer();
        assertEquals(1, bools.get(0));
        assertEquals(0, bools.get(1));
        assertEquals(1, bools.get(2));
    }

    @Test
    void flatShapeThatDoesNotMatchTheLengthNamesBothNumbers() {
        ShapeMismatchException e = assertThrowsExactly(ShapeMismatchException.class,
                () -> JavaArrays.flat(new int[] {1, 2, 3, 4, 5, 6}, new long[] {4, 2}));

        assertTrue(e.getMessage().contains("6 elements"), e.getMessage());
        assertTrue(e.getMessage().contains("[4, 2]"), e.getMessage());
        assertTrue(e.getMessage().contains("needs 8"), e.getMessage());
    }

    @Test
    void flatOfScalarShapeStillChecksTheLength() {
        // An explicit empty shape means "rank 1", so the only way to ask for a scalar is scalar(); a
        // one-element array with shape [1] works.
        assertEquals(Shape.of(1), JavaArrays.flat(new int[] {7}, new long[] {1}).shape());
    }

    @Test
    void flatShapeWithNegativeDimensionIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class,
                () -> JavaArrays.flat(new int[] {1, 2}, new long[] {2, -1}));

        assertTrue(e.getMessage().contains("dims[1]"), e.getMessage());
    }

    @Test
    void flatNullDataOrShapeIsRejectedNamingIt() {
        NullPointerException data = assertThrowsExactly(NullPointerException.class,
                () -> JavaArrays.flat(null, new long[0]));
        assertTrue(data.getMessage().contains("data"), data.getMessage());

        NullPointerException shape = assertThrowsExactly(NullPointerException.class,
                () -> JavaArrays.flat(new int[1], null));
        assertTrue(shape.getMessage().contains("shape"), shape.getMessage());
    }

    @Test
    void flatOfObjectArrayIsRejectedNamingTheElementType() {
        IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class,
                () -> JavaArrays.flat(new Integer[] {1, 2}, new long[0]));

        assertTrue(e.getMessage().contains("Integer"), e.getMessage());
    }

    // ---- nested ----

    @Test
    void nestedIntMatrixIsRowMajor() {
        JavaArrays.Encoded encoded = JavaArrays.nested(new int[][] {{1, 2, 3}, {4, 5, 6}});

        assertEquals(DType.INT32, encoded.dtype());
        assertEquals(Shape.of(2, 3), encoded.shape());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, ints(encoded));
    }

    @Test
    void nestedRankThreeFloatsAreRowMajor() {
        float[][][] data = {
            {{1, 2}, {3, 4}, {5, 6}},
            {{7, 8}, {9, 10}, {11, 12}},
        };

        JavaArrays.Encoded encoded = JavaArrays.nested(data);

        assertEquals(DType.FLOAT32, encoded.dtype());
        assertEquals(Shape.of(2, 3, 2), encoded.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, floats(encoded));
    }

    @Test
    void nestedRankFourDoublesAreRowMajor() {
        double[][][][] data = new double[2][3][4][5];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    for (int l = 0; l < 5; l++) {
                        data[i][j][k][l] = i * 1000 + j * 100 + k * 10 + l;
                    }
                }
            }
        }

        JavaArrays.Encoded encoded = JavaArrays.nested(data);

        assertEquals(DType.FLOAT64, encoded.dtype());
        assertEquals(Shape.of(2, 3, 4, 5), encoded.shape());
        ByteBuffer buffer = encoded.buffer();
        long[] strides = encoded.shape().contiguousStrides();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    for (int l = 0; l < 5; l++) {
                        long index = i * strides[0] + j * strides[1] + k * strides[2] + l * strides[3];
                        assertEquals(data[i][j][k][l], buffer.getDouble((int) index * Double.BYTES),
                                "element [" + i + ", " + j + ", " + k + ", " + l + "]");
                    }
                }
            }
        }
    }

    @Test
    void nestedBooleansAreOneByteEach() {
        JavaArrays.Encoded encoded = JavaArrays.nested(new boolean[][] {{true, false}, {false, true}});

        assertEquals(DType.BOOL, encoded.dtype());
        assertEquals(Shape.of(2, 2), encoded.shape());
        assertEquals(4, encoded.buffer().remaining());
        byte[] bytes = new byte[4];
        encoded.buffer().duplicate().get(bytes);
        assertArrayEquals(new byte[] {1, 0, 0, 1}, bytes);
    }

    @Test
    void nestedLongsKeepFullRange() {
        JavaArrays.Encoded encoded = JavaArrays.nested(new long[][] {{Long.MAX_VALUE}, {Long.MIN_VALUE}});

        assertEquals(DType.INT64, encoded.dtype());
        assertEquals(Long.MAX_VALUE, encoded.buffer().getLong(0));
        assertEquals(Long.MIN_VALUE, encoded.buffer().getLong(8));
    }

    @Test
    void nestedWithNoRowsHasZeroForEveryDimension() {
        // Java keeps no trace of the 3 in new int[0][3]: there is no row to measure.
        JavaArrays.Encoded encoded = JavaArrays.nested(new int[0][3]);

        assertEquals(Shape.of(0, 0), encoded.shape());
        assertEquals(0, encoded.buffer().remaining());
    }

    @Test
    void nestedWithEmptyRowsKeepsTheRowCount() {
        JavaArrays.Encoded encoded = JavaArrays.nested(new float[2][0]);

        assertEquals(Shape.of(2, 0), encoded.shape());
        assertEquals(0, encoded.buffer().remaining());
        assertEquals(Shape.of(3, 0, 0), JavaArrays.nested(new double[3][0][4]).shape());
    }

    @Test
    void nestedRaggedRowNamesItsPath() {
        ShapeMismatchException e = assertThrowsExactly(ShapeMismatchException.class,
                () -> JavaArrays.nested(new int[][] {{1, 2}, {3}}));

        assertTrue(e.getMessage().contains("data[1]"), e.getMessage());
        assertTrue(e.getMessage().contains("length 1"), e.getMessage());
        assertTrue(e.getMessage().contains("2"), e.getMessage());
    }

    @Test
    void nestedRowLongerThanTheFirstIsRagged() {
        ShapeMismatchException e = assertThrowsExactly(ShapeMismatchException.class,
                () -> JavaArrays.nested(new int[][] {{}, {1, 2}}));

        assertTrue(e.getMessage().contains("data[1] has length 2"), e.getMessage());
    }

    @Test
    void nestedRaggedDeepRowNamesItsFullPath() {
        float[][][] data = {
            {{1, 2}, {3, 4}},
            {{5, 6}, {7, 8, 9}},
        };

        ShapeMismatchException e = assertThrowsExactly(ShapeMismatchException.class, () -> JavaArrays.nested(data));

        assertTrue(e.getMessage().contains("data[1][1]"), e.getMessage());
    }

    @Test
    void nestedNullRowNamesItsPath() {
        NullPointerException top = assertThrowsExactly(NullPointerException.class,
                () -> JavaArrays.nested(new int[][] {{1}, null}));
        assertTrue(top.getMessage().contains("data[1]"), top.getMessage());

        NullPointerException first = assertThrowsExactly(NullPointerException.class,
                () -> JavaArrays.nested(new int[][][] {null, {{1}}}));
        assertTrue(first.getMessage().contains("data[0]"), first.getMessage());

        NullPointerException deep = assertThrowsExactly(NullPointerException.class,
                () -> JavaArrays.nested(new double[][][] {{{1}, {2}}, {{3}, null}}));
        assertTrue(deep.getMessage().contains("data[1][1]"), deep.getMessage());
    }

    @Test
    void nestedNullDataIsRejectedNamingIt() {
        NullPointerException e = assertThrowsExactly(NullPointerException.class, () -> JavaArrays.nested(null));

        assertTrue(e.getMessage().contains("data"), e.getMessage());
    }

    @Test
    void nestedRaggedArrayIsReportedAsRaggedEvenWhenItsFirstRowsAreLarge() {
        // The first row at each depth sets the shape; a ragged array must be reported as ragged, not
        // as too large to convert (or fail allocating memory for a shape it does not have).
        int[][] data = new int[20_000][];
        data[0] = new int[200_000];
        for (int i = 1; i < data.length; i++) {
            data[i] = new int[1];
        }

        ShapeMismatchException e = assertThrowsExactly(ShapeMismatchException.class, () -> JavaArrays.nested(data));

        assertTrue(e.getMessage().contains("data[1]"), e.getMessage());
    }

    @Test
    void nestedRaggedArrayIsReportedAsRaggedEvenWhenItsFirstRowsWouldOverflowTheElementCount() {
        int[][][][] data = new int[100_000][][][];
        data[0] = new int[100_000][][];
        data[0][0] = new int[100_000][];
        data[0][0][0] = new int[100_000];

        NullPointerException e = assertThrowsExactly(NullPointerException.class, () -> JavaArrays.nested(data));

        assertTrue(e.getMessage().contains("data[0][0][1]"), e.getMessage());
    }

    // ---- the buffer ----

    @Test
    void bufferIsDirectNativeOrderAndCoversExactlyTheElements() {
        for (JavaArrays.Encoded encoded : new JavaArrays.Encoded[] {
            JavaArrays.flat(new long[] {1, 2, 3}, new long[0]),
            JavaArrays.nested(new float[][] {{1, 2}, {3, 4}, {5, 6}}),
            JavaArrays.nested(new boolean[][] {{true}}),
        }) {
            ByteBuffer buffer = encoded.buffer();
            assertTrue(buffer.isDirect(), "direct");
            assertEquals(ByteOrder.nativeOrder(), buffer.order());
            assertEquals(0, buffer.position());
            assertEquals(encoded.shape().elementCount() * encoded.dtype().byteWidth(), buffer.remaining());
        }
    }

    private static int[] ints(JavaArrays.Encoded encoded) {
        int[] values = new int[encoded.buffer().remaining() / Integer.BYTES];
        encoded.buffer().duplicate().order(ByteOrder.nativeOrder()).asIntBuffer().get(values);
        return values;
    }

    private static float[] floats(JavaArrays.Encoded encoded) {
        float[] values = new float[encoded.buffer().remaining() / Float.BYTES];
        encoded.buffer().duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().get(values);
        return values;
    }
}
