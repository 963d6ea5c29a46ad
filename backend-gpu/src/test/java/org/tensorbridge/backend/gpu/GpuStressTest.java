package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.tck.DirectMemoryLevel;
import org.tensorbridge.tck.StressRun;

/**
 * Four workers and two closers for at most 20 s on the GPU backend: only documented exceptions, every
 * value read right, and afterwards every reference and device buffer released. Skipped without
 * OpenCL. A longer run:
 * {@code -Dtensorbridge.stress.millis=120000 -Dtensorbridge.stress.iterations=100000000}.
 */
class GpuStressTest {
    @Test
    void concurrentCreateConvertOperateAndCloseLeaveNothingBehind() throws InterruptedException {
        GpuBackendProvider provider = new GpuBackendProvider();
        Availability availability = provider.probe();
        Assumptions.assumeTrue(availability.isAvailable(), availability::reason);
        Backend gpu = provider.create();
        MemoryLedger ledger = ((AbstractBackend) gpu).ledger();
        long before = ledger.liveBlocks();
        long buffersBefore = ((GpuBackend) gpu).liveDeviceBuffers();
        long directBefore = DirectMemoryLevel.settled();
        long millis = Long.getLong("tensorbridge.stress.millis", 20_000);
        long iterations = Long.getLong("tensorbridge.stress.iterations", 5_000);
        StressRun.Result result;
        try {
            result = new StressRun(gpu, 4, 2, iterations, millis, 20261126L).run();
        } finally {
            assertEquals(before, ledger.liveBlocks(), "references left after the stress run: " + ledger);
            assertEquals(buffersBefore, ((GpuBackend) gpu).liveDeviceBuffers(), "device buffers left after the run");
            ((GpuBackend) gpu).close();
        }
        long directAfter = DirectMemoryLevel.settled();
        assertTrue(directAfter <= directBefore + DirectMemoryLevel.SLACK_BYTES, "host direct memory grew from "
                + directBefore + " to " + directAfter + " bytes over the stress run");
        System.out.println("gpu stress: " + result.operations() + " operations, " + result.valuesChecked()
                + " values checked, " + result.closedRefusals() + " closed refusals, " + result.failures().size()
                + " failures");
        assertTrue(result.failures().isEmpty(), () -> "unexpected: " + result.failures().stream()
                .map(Throwable::toString).distinct().toList());
        assertTrue(result.operations() > 0, "the stress run did nothing");
    }
}
