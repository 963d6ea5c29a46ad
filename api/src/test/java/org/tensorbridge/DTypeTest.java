package org.tensorbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DTypeTest {

    @Test
    void everyDTypeHasItsByteWidth() {
        Map<DType, Integer> expected = new EnumMap<>(DType.class);
        expected.put(DType.BOOL, 1);
        expected.put(DType.INT8, 1);
        expected.put(DType.UINT8, 1);
        expected.put(DType.INT16, 2);
        expected.put(DType.INT32, 4);
        expected.put(DType.INT64, 8);
        expected.put(DType.FLOAT16, 2);
        expected.put(DType.BFLOAT16, 2);
        expected.put(DType.FLOAT32, 4);
        expected.put(DType.FLOAT64, 8);

        assertEquals(EnumSet.allOf(DType.class), expected.keySet(), "a new dtype needs a row here");
        for (DType dtype : DType.values()) {
            assertEquals(expected.get(dtype), dtype.byteWidth(), dtype::toString);
        }
    }

    @Test
    void floatingPointTypesAreTheFourFloats() {
        assertEquals(EnumSet.of(DType.FLOAT16, DType.BFLOAT16, DType.FLOAT32, DType.FLOAT64),
                matching(DType::isFloatingPoint));
    }

    @Test
    void integerTypesAreTheSignedAndUnsignedIntegers() {
        assertEquals(EnumSet.of(DType.INT8, DType.UINT8, DType.INT16, DType.INT32, DType.INT64),
                matching(DType::isInteger));
    }

    @Test
    void numericTypesAreAllButBool() {
        assertEquals(EnumSet.complementOf(EnumSet.of(DType.BOOL)), matching(DType::isNumeric));
    }

    @Test
    void displayNameIsTheLowerCaseName() {
        assertEquals("float32", DType.FLOAT32.displayName());
        assertEquals("bfloat16", DType.BFLOAT16.displayName());
        assertEquals("uint8", DType.UINT8.displayName());
    }

    private static Set<DType> matching(java.util.function.Predicate<DType> test) {
        Set<DType> result = EnumSet.noneOf(DType.class);
        for (DType dtype : DType.values()) {
            if (test.test(dtype)) {
                result.add(dtype);
            }
        }
        return result;
    }
}
