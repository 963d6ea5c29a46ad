package org.tensorbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void ofKeepsTheDimensionsAndMultipliesThemIntoTheElementCount() {
        Shape shape = Shape.of(2, 3, 4);

        assertEquals(3, shape.rank());
        assertArrayEquals(new long[] {2, 3, 4}, shape.toArray());
        assertEquals(24, shape.elementCount());
    }

    @Test
    void intAndLongFactoriesGiveEqualShapes() {
        assertEquals(Shape.of(2L, 3L), Shape.of(2, 3));
    }

    @Test
    void scalarHasRankZeroAndOneElement() {
        assertEquals(0, Shape.scalar().rank());
        assertEquals(1, Shape.scalar().elementCount());
        assertArrayEquals(new long[0], Shape.scalar().toArray());
    }

    @Test
    void ofWithNoDimensionsIsTheScalarShape() {
        assertEquals(Shape.scalar(), Shape.of());
        assertEquals(Shape.scalar(), Shape.of(new int[0]));
        assertEquals(1, Shape.of().elementCount());
    }

    @Test
    void zeroSizeDimensionMakesTheElementCountZero() {
        assertEquals(0, Shape.of(0).elementCount());
        assertEquals(0, Shape.of(3, 0, 5).elementCount());
        assertEquals(3, Shape.of(3, 0, 5).rank());
    }

    @Test
    void negativeDimensionIsRejectedNamingItsIndex() {
        IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class, () -> Shape.of(2, -3, 4));

        assertTrue(e.getMessage().contains("dims[1]"), e.getMessage());
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
    }

    @Test
    void negativeDimensionIsRejectedWhateverComesAfterIt() {
        // A zero later on must not excuse an earlier negative dimension.
        IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class, () -> Shape.of(-1L, 0L));

        assertTrue(e.getMessage().contains("dims[0]"), e.getMessage());
    }

    @Test
    void elementCountOverflowingLongIsRejected() {
        IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class,
                () -> Shape.of(1L << 62, 2L));

        assertTrue(e.getMessage().contains("[" + (1L << 62) + ", 2]"), e.getMessage());
        assertTrue(e.getMessage().contains("Long.MAX_VALUE"), e.getMessage());
    }

    @Test
    void elementCountJustBelowOverflowIsAccepted() {
        assertEquals(Long.MAX_VALUE, Shape.of(Long.MAX_VALUE, 1L).elementCount());
        assertEquals(1L << 62, Shape.of(1L << 31, 1L << 31).elementCount());
    }

    @Test
    void zeroDimensionWithHugeOtherDimensionsIsFine() {
        Shape shape = Shape.of(Long.MAX_VALUE, 0L, Long.MAX_VALUE);

        assertEquals(0, shape.elementCount());
        assertEquals(Long.MAX_VALUE, shape.dim(2));
    }

    @Test
    void nullDimensionsAreRejectedNamingDims() {
        NullPointerException e = assertThrowsExactly(NullPointerException.class, () -> Shape.of((long[]) null));

        assertTrue(e.getMessage().contains("dims"), e.getMessage());
    }

    @Test
    void dimReturnsEachAxis() {
        Shape shape = Shape.of(7, 8, 9);

        assertEquals(7, shape.dim(0));
        assertEquals(8, shape.dim(1));
        assertEquals(9, shape.dim(2));
    }

    @Test
    void dimOutOfRangeThrowsNamingTheAxis() {
        Shape shape = Shape.of(7, 8);

        IndexOutOfBoundsException high = assertThrowsExactly(IndexOutOfBoundsException.class, () -> shape.dim(2));
        assertTrue(high.getMessage().contains("axis 2"), high.getMessage());
        IndexOutOfBoundsException low = assertThrowsExactly(IndexOutOfBoundsException.class, () -> shape.dim(-1));
        assertTrue(low.getMessage().contains("axis -1"), low.getMessage());
        IndexOutOfBoundsException scalar = assertThrowsExactly(IndexOutOfBoundsException.class,
                () -> Shape.scalar().dim(0));
        assertTrue(scalar.getMessage().contains("axis 0"), scalar.getMessage());
    }

    @Test
    void shapeIsNotChangedByTheArrayItWasMadeFromOrByToArray() {
        long[] dims = {2, 3};
        Shape shape = Shape.of(dims);
        dims[0] = 99;
        shape.toArray()[1] = 99;

        assertArrayEquals(new long[] {2, 3}, shape.toArray());
        assertEquals(6, shape.elementCount());
    }

    @Test
    void contiguousStridesAreRowMajorInElements() {
        assertArrayEquals(new long[] {12, 4, 1}, Shape.of(2, 3, 4).contiguousStrides());
        assertArrayEquals(new long[] {1}, Shape.of(5).contiguousStrides());
        assertArrayEquals(new long[0], Shape.scalar().contiguousStrides());
    }

    @Test
    void contiguousStridesTreatZeroDimensionsAsOneLikeNumPy() {
        // numpy.zeros((2, 0, 3), dtype=numpy.int8).strides == (3, 3, 1)
        assertArrayEquals(new long[] {3, 3, 1}, Shape.of(2, 0, 3).contiguousStrides());
    }

    @Test
    void equalShapesAreEqualAndHashAlike() {
        Shape a = Shape.of(2, 3);
        Shape b = Shape.of(new long[] {2, 3});

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void differentShapesAreNotEqual() {
        assertNotEquals(Shape.of(2, 3), Shape.of(3, 2));
        assertNotEquals(Shape.of(6), Shape.of(2, 3));
        assertNotEquals(Shape.of(1), Shape.scalar());
        assertNotEquals(Shape.of(0), Shape.of(0, 0));
        assertNotEquals(Shape.of(2, 3), "[2, 3]");
        assertNotEquals(Shape.of(2, 3), null);
    }

    @Test
    void toStringListsTheDimensions() {
        assertEquals("[2, 3]", Shape.of(2, 3).toString());
        assertEquals("[0]", Shape.of(0).toString());
        assertEquals("[]", Shape.scalar().toString());
    }

    @Test
    void broadcastOfScalarWithAnythingIsTheOther() {
        assertEquals(Shape.of(2, 3), Shape.broadcast(Shape.scalar(), Shape.of(2, 3)));
        assertEquals(Shape.of(2, 3), Shape.broadcast(Shape.of(2, 3), Shape.scalar()));
        assertEquals(Shape.of(0, 4), Shape.broadcast(Shape.scalar(), Shape.of(0, 4)));
        assertEquals(Shape.scalar(), Shape.broadcast(Shape.scalar(), Shape.scalar()));
    }

    @Test
    void broadcastStretchesSizeOneDimensions() {
        assertEquals(Shape.of(3, 4), Shape.broadcast(Shape.of(3, 1), Shape.of(1, 4)));
        assertEquals(Shape.of(3, 4), Shape.broadcast(Shape.of(1, 4), Shape.of(3, 1)));
    }

    @Test
    void broadcastAlignsFromTheRight() {
        assertEquals(Shape.of(2, 3), Shape.broadcast(Shape.of(2, 3), Shape.of(3)));
        assertEquals(Shape.of(2, 3), Shape.broadcast(Shape.of(3), Shape.of(2, 3)));
        assertEquals(Shape.of(5, 3, 4), Shape.broadcast(Shape.of(5, 1, 4), Shape.of(3, 1)));
        assertEquals(Shape.of(8, 7, 6, 5), Shape.broadcast(Shape.of(8, 1, 6, 1), Shape.of(7, 1, 5)));
    }

    @Test
    void broadcastOfZeroWithOneIsZero() {
        assertEquals(Shape.of(0, 3), Shape.broadcast(Shape.of(0, 1), Shape.of(1, 3)));
        assertEquals(Shape.of(0), Shape.broadcast(Shape.of(0), Shape.of(1)));
    }

    @Test
    void broadcastOfIncompatibleShapesNamesBothShapes() {
        ShapeMismatchException e = assertThrowsExactly(ShapeMismatchException.class,
                () -> Shape.broadcast(Shape.of(2, 3), Shape.of(2)));

        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
        assertEquals(ShapeMismatchException.CODE, e.code());
    }

    @Test
    void broadcastOfZeroWithAnotherSizeIsIncompatible() {
        ShapeMismatchException e = assertThrowsExactly(ShapeMismatchException.class,
                () -> Shape.broadcast(Shape.of(0), Shape.of(5)));

        assertTrue(e.getMessage().contains("[0]"), e.getMessage());
        assertTrue(e.getMessage().contains("[5]"), e.getMessage());
    }

    @Test
    void broadcastNamesTheIncompatibleAxis() {
        ShapeMismatchException e = assertThrowsExactly(ShapeMismatchException.class,
                () -> Shape.broadcast(Shape.of(4, 2, 3), Shape.of(5, 3)));

        assertTrue(e.getMessage().contains("axis 1"), e.getMessage());
    }

    @Test
    void aScalarsAxisIsRefusedWithAMessageThatSaysAScalarHasNone() {
        IndexOutOfBoundsException e = assertThrowsExactly(IndexOutOfBoundsException.class, () -> Shape.scalar().dim(0));

        assertTrue(e.getMessage().contains("a scalar has no axes"), e.getMessage());
    }

    @Test
    void broadcastNamesTheNullShape() {
        NullPointerException e = assertThrowsExactly(NullPointerException.class,
                () -> Shape.broadcast(null, Shape.of(2)));

        assertTrue(e.getMessage().startsWith("a must not be null"), e.getMessage());
    }

    @Test
    void stridesOfAnEmptyShapeSaturateInsteadOfOverflowing() {
        assertArrayEquals(new long[] {3, 3, 1}, Shape.of(2, 0, 3).contiguousStrides());
        assertArrayEquals(new long[] {Long.MAX_VALUE, Long.MAX_VALUE, 1},
                Shape.of(0, Long.MAX_VALUE, Long.MAX_VALUE).contiguousStrides());
        assertArrayEquals(new long[] {Long.MAX_VALUE, 1L << 62, 1}, Shape.of(0, 4, 1L << 62).contiguousStrides());
    }
}
