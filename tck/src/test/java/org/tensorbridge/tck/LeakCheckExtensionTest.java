package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.backend.reference.ReferenceBackend;

/** The suite-wide leak check fails a class that leaves a tensor open, and only such a class. */
class LeakCheckExtensionTest {
    private static final ReferenceBackend BACKEND = new ReferenceBackend();
    private static Tensor leaked;

    /** Leaves a tensor open. Not run on its own: its name does not end in "Test". */
    static class LeavesATensorOpen {
        @Test
        void creates() {
            leaked = BACKEND.zeros(DType.FLOAT32, Shape.of(4));
        }
    }

    /** Closes what it creates. */
    static class ClosesEverything {
        @Test
        void createsAndCloses() {
            try (Tensor t = BACKEND.zeros(DType.FLOAT32, Shape.of(4))) {
                t.add(t).close();
            }
        }
    }

    @AfterAll
    static void closeTheLeak() {
        if (leaked != null) {
            leaked.close();
        }
    }

    private static List<Event> containerFailures(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(testClass)).execute().containerEvents().failed().list();
    }

    @Test
    void aClassThatLeavesATensorOpenFails() {
        List<Event> failures = containerFailures(LeavesATensorOpen.class);
        assertEquals(1, failures.size(), "the leaking class must fail once, as a container");
        String message = failures.get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()
                .getMessage();
        assertTrue(message.contains("left memory open") && message.contains("1 more live blocks (16 bytes)"), message);
    }

    @Test
    void aClassThatClosesEverythingPasses() {
        assertEquals(List.of(), containerFailures(ClosesEverything.class));
    }
}
