package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any text given as {@code arrow.fixed_shape_tensor} metadata parses to metadata that writes back to
 * an equal value, or is refused with {@link InvalidTensorMetadataException}. In {@code ./mvnw verify}
 * this runs over the committed corpus; to fuzz for the fixed time of {@code maxDuration} (5 minutes;
 * Jazzer 0.24 takes the duration from the annotation only):
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='org.tensorbridge.**:com.fasterxml.jackson.**' \
 *   ./mvnw -o -pl interop-arrow test -Dtest=MetadataFuzzTest
 * </pre>
 * (the parser is Jackson's: instrumenting it lets the fuzzer see its edges, not only this module's).
 */
class MetadataFuzzTest {
    @FuzzTest(maxDuration = "5m")
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
