package org.tensorbridge.backend.gpu;

import org.tensorbridge.Backends;
import org.tensorbridge.ProviderStatus;

/** Child-JVM entry of {@link GpuAvailabilityTest}: prints the real probe's answer and what discovery lists. */
public final class ProbeMain {
    private ProbeMain() {
    }

    public static void main(String[] args) {
        System.out.println("probe: " + new GpuBackendProvider().probe());
        for (ProviderStatus status : Backends.list()) {
            System.out.println("discovery: " + status.name() + " " + (status.isAvailable() ? "available"
                    : "unavailable: " + status.availability().reason()));
        }
    }
}
