package org.tensorbridge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void byteSizesAreBinary() {
        assertEquals(4096, Sizes.bytes("4KiB"));
        assertEquals(4 << 20, Sizes.bytes("4MiB"));
        assertEquals(256 << 20, Sizes.bytes("256MiB"));
        assertEquals(64 << 20, Sizes.floats("256MiB"));
    }

    @Test
    void elementCountsAreBinary() {
        assertEquals(1024, Sizes.elements("1K"));
        assertEquals(1 << 20, Sizes.elements("1M"));
        assertEquals(16 << 20, Sizes.elements("16M"));
    }

    @Test
    void otherSpellingsAreRefusedWithTheExpectedForm() {
        var e = assertThrows(IllegalArgumentException.class, () -> Sizes.bytes("4KB"));
        assertEquals("size '4KB' is not a byte size; write it as 4KiB or 256MiB", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sizes.elements("1G"));
    }
}
