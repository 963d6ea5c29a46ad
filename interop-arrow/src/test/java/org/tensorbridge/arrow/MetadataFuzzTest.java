package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any text given as {@code arrow.fixed_shape_tensor} metadata parses to metadata that writes back to
 * an equal value, or is refused with {@link InvalidTensorMetadataException}. In {@code ./mvnw verify}
 * this runs over the committed corpus; to fuzz for 60 s:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl interop-arrow test -Dtest=MetadataFuzzTest}.
 */
class MetadataFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void metadataParsesAndRoundTripsOrIsRefused(String json) {
        FixedShapeTensorMetadata metadata;
        try {
            metadata = FixedShapeTensorMetadata.parse(json);
        } catch (InvalidTensorMetadataException documented) {
            return;
        }
        assertEquals(metadata, FixedShapeTensorMetadata.parse(metadata.toJson()), "parse(toJson()) of " + json);
    }
}
