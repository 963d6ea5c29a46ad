package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.Device;
import org.tensorbridge.HostArray;
import org.tensorbridge.Tensor;

/** Rules 9.x: where things live. */
public interface IdentityRules extends KitContext {

    @Test
    @ConformanceRule("9.1")
    default void devicesAndBackendsAreReported() {
        try (Tensor tensor = fixtures().floats(1, 2);
                Tensor sum = tensor.add(tensor);
                HostArray host = sum.toHost(CopyPolicy.ALWAYS)) {
            assertEquals(backend().device(), tensor.device(), "tensor.device()");
            assertEquals(backend().device(), sum.device(), "device of an operation's result");
            assertSame(backend(), sum.backend(), "backend of an operation's result");
            assertEquals(backend().device(), host.sourceDevice(), "host array's sourceDevice()");
        }
    }

    @Test
    @ConformanceRule("9.2")
    default void deviceIsDescribed() {
        Device device = backend().device();
        assertFalse(device.name().isBlank(), "the device has a blank name");
        if (device.kind() != Device.Kind.CPU) {
            assertFalse(device.platform().isBlank() || device.platform().equals("none"), "the device names no platform");
            assertFalse(device.driver().isBlank() || device.driver().equals("none"), "the device names no driver");
        }
    }
}
