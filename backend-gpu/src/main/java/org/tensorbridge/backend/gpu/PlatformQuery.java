package org.tensorbridge.backend.gpu;

import java.util.List;

/**
 * Lists the OpenCL devices of every platform. The real one calls OpenCL through JOCL, which may throw
 * {@link UnsatisfiedLinkError} when {@code libOpenCL.so} is missing; tests substitute failing ones to
 * check that the provider reports unavailability instead. Implementations are thread-safe.
 */
@FunctionalInterface
interface PlatformQuery {
    /** Every device of every platform, in platform then device order; empty if there is no platform. */
    List<DeviceInfo> devices();
}
