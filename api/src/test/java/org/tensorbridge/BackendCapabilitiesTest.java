package org.tensorbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendCapabilitiesTest {

    @Test
    void builderKeepsEveryDeclaration() {
        BackendCapabilities capabilities = BackendCapabilities.builder()
                .sharesHostMemory(true)
                .sharesWritable(true)
                .wrapsHostBuffers(true)
                .supportedDTypes(EnumSet.of(DType.FLOAT32, DType.INT64))
                .build();

        assertTrue(capabilities.sharesHostMemory());
        assertTrue(capabilities.sharesWritable());
        assertTrue(capabilities.wrapsHostBuffers());
        assertEquals(EnumSet.of(DType.FLOAT32, DType.INT64), capabilities.supportedDTypes());
        assertTrue(capabilities.supports(DType.FLOAT32));
        assertFalse(capabilities.supports(DType.FLOAT16));
    }

    @Test
    void everyCapabilityIsOffUnlessDeclared() {
        BackendCapabilities capabilities = BackendCapabilities.builder().supportedDTypes(Set.of(DType.BOOL)).build();

        assertFalse(capabilities.sharesHostMemory());
        assertFalse(capabilities.sharesWritable());
        assertFalse(capabilities.wrapsHostBuffers());
    }

    @Test
    void supportedDTypesAccumulateAcrossCalls() {
        BackendCapabilities capabilities = BackendCapabilities.builder()
                .supportedDTypes(Set.of(DType.INT8))
                .supportedDTypes(Set.of(DType.FLOAT64))
                .build();

        assertEquals(EnumSet.of(DType.INT8, DType.FLOAT64), capabilities.supportedDTypes());
    }

    @Test
    void sharesWritableWithoutSharesHostMemoryIsRejected() {
        BackendCapabilities.Builder builder = BackendCapabilities.builder()
                .sharesWritable(true)
                .supportedDTypes(Set.of(DType.FLOAT32));

        IllegalStateException e = assertThrowsExactly(IllegalStateException.class, builder::build);
        assertTrue(e.getMessage().contains("sharesWritable"), e.getMessage());
        assertTrue(e.getMessage().contains("sharesHostMemory"), e.getMessage());
    }

    @Test
    void noSupportedDTypesIsRejected() {
        BackendCapabilities.Builder builder = BackendCapabilities.builder().sharesHostMemory(true);

        IllegalStateException e = assertThrowsExactly(IllegalStateException.class, builder::build);
        assertTrue(e.getMessage().contains("supportedDTypes"), e.getMessage());
    }

    @Test
    void nullDTypeSetIsRejectedNamingIt() {
        NullPointerException e = assertThrowsExactly(NullPointerException.class,
                () -> BackendCapabilities.builder().supportedDTypes(null));

        assertTrue(e.getMessage().contains("dtypes"), e.getMessage());
    }

    @Test
    void builtCapabilitiesAreImmutable() {
        EnumSet<DType> dtypes = EnumSet.of(DType.FLOAT32);
        BackendCapabilities.Builder builder = BackendCapabilities.builder().supportedDTypes(dtypes);
        BackendCapabilities capabilities = builder.build();

        dtypes.add(DType.INT32);
        builder.supportedDTypes(Set.of(DType.INT64));

        assertEquals(EnumSet.of(DType.FLOAT32), capabilities.supportedDTypes());
        assertThrows(UnsupportedOperationException.class, () -> capabilities.supportedDTypes().add(DType.INT8));
    }
}
