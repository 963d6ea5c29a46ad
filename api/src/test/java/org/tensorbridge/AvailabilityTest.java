package org.tensorbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AvailabilityTest {

    @Test
    void availableIsAvailable() {
        assertTrue(Availability.available().isAvailable());
        assertEquals("available", Availability.available().reason());
        assertEquals("available", Availability.available().toString());
    }

    @Test
    void unavailableKeepsItsReason() {
        Availability availability = Availability.unavailable("no OpenCL platform; install pocl-opencl-icd");

        assertFalse(availability.isAvailable());
        assertEquals("no OpenCL platform; install pocl-opencl-icd", availability.reason());
        assertEquals("unavailable: no OpenCL platform; install pocl-opencl-icd", availability.toString());
    }

    @Test
    void blankReasonIsRejectedNamingTheReason() {
        IllegalArgumentException empty = assertThrowsExactly(IllegalArgumentException.class,
                () -> Availability.unavailable(""));
        assertTrue(empty.getMessage().contains("reason"), empty.getMessage());

        IllegalArgumentException blank = assertThrowsExactly(IllegalArgumentException.class,
                () -> Availability.unavailable(" \t\n"));
        assertTrue(blank.getMessage().contains("reason"), blank.getMessage());
    }

    @Test
    void nullReasonIsRejectedNamingTheReason() {
        NullPointerException e = assertThrowsExactly(NullPointerException.class, () -> Availability.unavailable(null));

        assertTrue(e.getMessage().contains("reason"), e.getMessage());
    }
}
