package org.tensorbridge.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.tck.DirectMemoryLevel;
import org.tensorbridge.tck.StressRun;

/**
 * Four workers and two closers for at most 20 s: only documented exceptions, every value read right,
 * and afterwards every reference released, the ledger's bytes back where they were, and the JVM's
 * direct memory (less the spi's idle reusable blocks) back within
 * {@link DirectMemoryLevel#SLACK_BYTES} of its start. A longer run:
 * {@code -Dtensorbridge.stress.millis=120000 -Dtensorbridge.stress.iterations=100000000}.
 */
class CpuStressTest {
    @Test
    void concurrentCreateConvertOperateAndCloseLeaveNothingBehind() throws InterruptedException {
        Backend cpu = Backends.get("cpu");
        MemoryLedger ledger = ((AbstractBackend) cpu).ledger();
        long before = ledger.liveBlocks();
        long bytesBefore = ledger.liveBytes();
        long directBefore = DirectMemoryLevel.settled();
        long millis = Long.getLong("tensorbridge.stress.millis", 20_000);
        long iterations = Long.getLong("tensorbridge.stress.iterations", 50_000);
        StressRun.Result result = new StressRun(cpu, 4, 2, iterations, millis, 20261126L).run();
        System.out.println("cpu stress: " + result.operations() + " operations, " + result.valuesChecked()
                + " values checked, " + result.closedRefusals() + " closed refusals, " + result.failures().size()
                + " failures");
        assertTrue(result.failures().isEmpty(), () -> "unexpected: " + result.failures().stream()
                .map(Throwable::toString).distinct().toList());
        assertTrue(result.operations() > 0, "the stress run did nothing");
        assertEquals(before, ledger.liveBlocks(), "references left after the stress run: " + ledger);
        assertEquals(bytesBefore, ledger.liveBytes(), "bytes left after the stress run: " + ledger);
        long directAfter = DirectMemoryLevel.settled();
        assertTrue(directAfter <= directBefore + DirectMemoryLevel.SLACK_BYTES, "direct memory grew from "
                + directBefore + " to " + directAfter + " bytes over the stress run");
    }
}
