package org.tensorbridge.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorbridge.Shape;

/** BroadcastStrides: an operand's element strides aligned to a broadcast result, 0 on broadcast axes. */
class BroadcastStridesTest {

    @Test
    void lowerRankOperandIsBroadcastAlongTheMissingLeadingAxes() {
        assertArrayEquals(new long[] {0, 1}, BroadcastStrides.of(Shape.of(3), Shape.of(2, 3)));
        assertArrayEquals(new long[] {0, 0, 1}, BroadcastStrides.of(Shape.of(4), Shape.of(2, 3, 4)));
        assertArrayEquals(new long[] {0, 4, 1}, BroadcastStrides.of(Shape.of(3, 4), Shape.of(2, 3, 4)));
    }

    @Test
    void sizeOneAxesGetStrideZero() {
        assertArrayEquals(new long[] {1, 0}, BroadcastStrides.of(Shape.of(3, 1), Shape.of(3, 4)));
        assertArrayEquals(new long[] {0, 1}, BroadcastStrides.of(Shape.of(1, 4), Shape.of(3, 4)));
        assertArrayEquals(new long[] {0, 3, 0, 1}, BroadcastStrides.of(Shape.of(2, 1, 3), Shape.of(5, 2, 7, 3)));
        assertArrayEquals(new long[] {0, 0}, BroadcastStrides.of(Shape.of(1, 1), Shape.of(3, 4)));
    }

    @Test
    void scalarIsBroadcastEverywhere() {
        assertArrayEquals(new long[] {0, 0}, BroadcastStrides.of(Shape.scalar(), Shape.of(2, 2)));
        assertArrayEquals(new long[0], BroadcastStrides.of(Shape.scalar(), Shape.scalar()));
    }

    @Test
    void sameShapeGivesContiguousStrides() {
        assertArrayEquals(new long[] {3, 1}, BroadcastStrides.of(Shape.of(2, 3), Shape.of(2, 3)));
        assertArrayEquals(new long[] {12, 4, 1}, BroadcastStrides.of(Shape.of(2, 3, 4), Shape.of(2, 3, 4)));
        assertArrayEquals(Shape.of(5, 6, 7).contiguousStrides(), BroadcastStrides.of(Shape.of(5, 6, 7), Shape.of(5, 6, 7)));
        assertArrayEquals(new long[] {1}, BroadcastStrides.of(Shape.of(9), Shape.of(9)));
    }

    @Test
    void zeroSizeAxesBroadcastLikeNumPy() {
        // A size-1 axis broadcasts to a 0-size one; a 0-size axis only matches 0.
        assertArrayEquals(new long[] {0, 1}, BroadcastStrides.of(Shape.of(1, 3), Shape.of(0, 3)));
        assertArrayEquals(new long[] {3, 1}, BroadcastStrides.of(Shape.of(0, 3), Shape.of(0, 3)));
        assertThrowsNamingOperand(Shape.of(0), Shape.of(2));
    }

    @Test
    void stridesWalkTheOperandInStepWithTheResult() {
        // Result [2, 3, 4] from operand [3, 1]: result element [i, j, k] reads operand element [j, 0].
        long[] strides = BroadcastStrides.of(Shape.of(3, 1), Shape.of(2, 3, 4));
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    long offset = i * strides[0] + j * strides[1] + k * strides[2];
                    assertTrue(offset == j, "[" + i + ", " + j + ", " + k + "] -> " + offset);
                }
            }
        }
    }

    @Test
    void incompatibleSizesAreRefusedNamingTheOperandAndBothShapes() {
        assertThrowsNamingOperand(Shape.of(3), Shape.of(2, 4));
        assertThrowsNamingOperand(Shape.of(2, 3), Shape.of(3, 3));
        assertThrowsNamingOperand(Shape.of(2), Shape.of(1));
        assertThrowsNamingOperand(Shape.of(3), Shape.of(1));
    }

    @Test
    void anOperandOfHigherRankThanTheResultIsRefused() {
        assertThrowsNamingOperand(Shape.of(1, 3), Shape.of(3));
        assertThrowsNamingOperand(Shape.of(2), Shape.scalar());
    }

    private static void assertThrowsNamingOperand(Shape operand, Shape result) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BroadcastStrides.of(operand, result));
        assertSame(IllegalArgumentException.class, e.getClass());
        assertTrue(e.getMessage().contains("operand " + operand), e.getMessage());
        assertTrue(e.getMessage().contains(result.toString()), e.getMessage());
    }
}
