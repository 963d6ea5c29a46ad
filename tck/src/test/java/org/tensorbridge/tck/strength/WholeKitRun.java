package org.tensorbridge.tck.strength;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The whole kit against the reference backend as one test, for the mutation score only (its name does
 * not end in "Test", so {@code ./mvnw verify} does not run it twice). PIT chooses the tests to run
 * against a mutant by the code each test covered; the kit builds its backend once, before its first test,
 * so code that runs while the backend is built is attributed to that first test alone, and a mutant there
 * would be tried against it alone. Run whole, the kit covers it all: PIT tries this test after the
 * individual rules (it is the slowest), on the mutants they leave alive.
 */
class WholeKitRun {
    @Test
    void everyMustRuleHoldsOnTheReferenceBackend() {
        List<Event> failed = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass("org.tensorbridge.tck.ReferenceBackendConformanceTest")).execute()
                .allEvents().failed().list();
        assertTrue(failed.isEmpty(), () -> failed.size() + " failures, the first: " + failed.get(0)
                .getRequiredPayload(TestExecutionResult.class).getThrowable().map(Throwable::getMessage).orElse(""));
    }
}
