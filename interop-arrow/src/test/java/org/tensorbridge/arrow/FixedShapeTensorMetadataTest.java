package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorbridge.Shape;
import org.tensorbridge.arrow.InvalidTensorMetadataException.Rule;

/** The metadata rules of the canonical arrow.fixed_shape_tensor specification, one by one. */
class FixedShapeTensorMetadataTest {

    @Test
    void theSpecificationsExampleParsesWithEveryMember() {
        FixedShapeTensorMetadata m = FixedShapeTensorMetadata.parse(
                "{ \"shape\": [100, 200, 500], \"dim_names\": [\"C\", \"H\", \"W\"], \"permutation\": [2, 0, 1] }");
        assertEquals(Shape.of(100, 200, 500), m.shape());
        assertEquals(List.of("C", "H", "W"), m.dimNames().orElseThrow());
        assertArrayEquals(new int[] {2, 0, 1}, m.permutation().orElseThrow());
        assertEquals(100 * 200 * 500, m.listSize());
        // Logical dimension i is physical dimension permutation[i].
        assertEquals(Shape.of(500, 100, 200), m.logicalShape());
    }

    @Test
    void serialisesOnlyTheMembersThatArePresentAndRoundTrips() {
        assertEquals("{\"shape\":[2,5]}", FixedShapeTensorMetadata.of(Shape.of(2, 5)).toJson());
        FixedShapeTensorMetadata full = FixedShapeTensorMetadata.of(Shape.of(2, 3)).withDimNames(List.of("r", "c"))
                .withPermutation(1, 0);
        assertEquals("{\"shape\":[2,3],\"dim_names\":[\"r\",\"c\"],\"permutation\":[1,0]}", full.toJson());
        assertEquals(full, FixedShapeTensorMetadata.parse(full.toJson()));
    }

    @Test
    void scalarRowsAndZeroSizedDimensionsAreValid() {
        assertEquals(1, FixedShapeTensorMetadata.parse("{\"shape\":[]}").listSize());
        assertEquals(0, FixedShapeTensorMetadata.parse("{\"shape\":[3,0]}").listSize());
    }

    @Test
    void nullOptionalMembersCountAsAbsentAndUnknownMembersAreIgnored() {
        FixedShapeTensorMetadata m = FixedShapeTensorMetadata.parse(
                "{\"shape\":[2],\"dim_names\":null,\"permutation\":null,\"future\":1}");
        assertFalse(m.dimNames().isPresent());
        assertFalse(m.permutation().isPresent());
    }

    @ParameterizedTest(name = "{0} breaks {1}")
    @CsvSource(delimiter = '|', value = {
        "''                                           | MISSING_SHAPE",
        "{}                                           | MISSING_SHAPE",
        "{\"dim_names\":[\"a\"]}                      | MISSING_SHAPE",
        "[2,3]                                        | NOT_A_JSON_OBJECT",
        "{\"shape\":[2,                               | NOT_A_JSON_OBJECT",
        "{\"shape\":\"2x3\"}                          | SHAPE_NOT_INTEGERS",
        "{\"shape\":[2,3.5]}                          | SHAPE_NOT_INTEGERS",
        "{\"shape\":[2,-3]}                           | NEGATIVE_DIMENSION",
        "{\"shape\":[65536,65536]}                    | SHAPE_TOO_LARGE",
        "{\"shape\":[4294967296,4294967296,4]}        | SHAPE_TOO_LARGE",
        "{\"shape\":[2,3],\"dim_names\":[\"a\"]}      | DIM_NAMES_WRONG_LENGTH",
        "{\"shape\":[2,3],\"dim_names\":[\"a\",1]}    | DIM_NAMES_NOT_STRINGS",
        "{\"shape\":[2,3],\"dim_names\":\"ab\"}       | DIM_NAMES_NOT_STRINGS",
        "{\"shape\":[2,3],\"permutation\":[0,0]}      | NOT_A_PERMUTATION",
        "{\"shape\":[2,3],\"permutation\":[0,2]}      | NOT_A_PERMUTATION",
        "{\"shape\":[2,3],\"permutation\":[1,0,2]}    | NOT_A_PERMUTATION",
        "{\"shape\":[2,3],\"permutation\":[-1,0]}     | NOT_A_PERMUTATION",
        "{\"shape\":[2,3],\"permutation\":[1.0,0]}    | NOT_A_PERMUTATION",
    })
    void invalidMetadataIsRejectedNamingTheRule(String json, Rule rule) {
        InvalidTensorMetadataException e = assertThrows(InvalidTensorMetadataException.class,
                () -> FixedShapeTensorMetadata.parse(json));
        assertEquals(rule, e.rule(), e.getMessage());
        assertTrue(e.getMessage().contains(rule.name()), e.getMessage());
    }

    @Test
    void theBuildersApplyTheSameRules() {
        FixedShapeTensorMetadata m = FixedShapeTensorMetadata.of(Shape.of(2, 3));
        assertEquals(Rule.DIM_NAMES_WRONG_LENGTH, assertThrows(InvalidTensorMetadataException.class,
                () -> m.withDimNames(List.of("a", "b", "c"))).rule());
        assertEquals(Rule.NOT_A_PERMUTATION, assertThrows(InvalidTensorMetadataException.class,
                () -> m.withPermutation(1, 1)).rule());
        assertEquals(Rule.SHAPE_TOO_LARGE, assertThrows(InvalidTensorMetadataException.class,
                () -> FixedShapeTensorMetadata.of(Shape.of(1L << 31))).rule());
    }

    @Test
    void aListSizeThatIsNotTheShapesProductIsRejected() {
        FixedShapeTensorType type = FixedShapeTensorType.of(Shape.of(2, 3));
        InvalidTensorMetadataException e = assertThrows(InvalidTensorMetadataException.class,
                () -> type.deserialize(new ArrowType.FixedSizeList(5), "{\"shape\":[2,3]}"));
        assertEquals(Rule.LIST_SIZE_NOT_SHAPE_PRODUCT, e.rule());
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("6"), e.getMessage());
    }

    @Test
    void aStorageThatIsNotAFixedSizeListIsRejected() {
        FixedShapeTensorType type = FixedShapeTensorType.of(Shape.of(2));
        InvalidTensorMetadataException e = assertThrows(InvalidTensorMetadataException.class,
                () -> type.deserialize(new ArrowType.List(), "{\"shape\":[2]}"));
        assertEquals(Rule.STORAGE_NOT_FIXED_SIZE_LIST, e.rule());
    }

    @Test
    void theExceptionIsArrowsOwnExtensionMetadataException() {
        assertTrue(org.apache.arrow.vector.extension.InvalidExtensionMetadataException.class.isAssignableFrom(
                InvalidTensorMetadataException.class));
    }
}
