package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Optional;
import org.example.broken.HookFaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;
import org.junit.platform.testkit.engine.Events;

/**
 * The kit's diagnostics: the smoke stage turns one crashing hook into one root failure, a crash in
 * backend code names the spi hook and the backend's frame, and test names carry the rule ids. The broken
 * backends live in {@code org.example.broken}, outside tensorbridge's packages, as a third party's do.
 */
class DiagnosticsTest {
    private static Events run(Class<? extends BackendTck> kit) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(kit)).execute().testEvents();
    }

    private static String message(Event event) {
        return event.getRequiredPayload(TestExecutionResult.class).getThrowable().map(Throwable::getMessage).orElse("");
    }

    /**
     * The failed tests, less the discovery rules' (13.x): these kits' providers are made in place and not
     * registered for ServiceLoader, which rule 13.1 rightly fails.
     */
    private static List<Event> failures(Events events) {
        return events.failed().list().stream().filter(e -> !message(e).startsWith("rule 13.")).toList();
    }

    @Test
    void aCrashingShareHookIsOneSmokeFailureAndEveryRuleIsNotVerified() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(HookFaults.SharingThrowsKit.class)).execute();
        Events all = results.allEvents();
        Events events = results.testEvents();
        List<Event> failed = failures(events);
        assertEquals(1, failed.size(), () -> "one root failure expected, got " + failed.stream()
                .map(e -> e.getTestDescriptor().getDisplayName() + ": " + message(e)).toList());
        Event smoke = failed.get(0);
        assertTrue(smoke.getTestDescriptor().getDisplayName().startsWith("smoke"), smoke.toString());
        String message = message(smoke);
        for (String phrase : List.of("share it with toHost(NEVER)", "IllegalStateException",
                "the scratch view was never allocated", "thrown in backend code at org.example.broken.HookFaults",
                "in the spi hook HostSharing.share", "(called by org.tensorbridge.spi.Conversions.hostArrayTakingOver)")) {
            assertTrue(message.contains(phrase), "the smoke failure does not say '" + phrase + "': " + message);
        }
        // Parameterized rules are skipped whole, as their template container.
        List<Event> skipped = all.skipped().list();
        assertEquals(BackendTckMethods.ruleTests(), skipped.size(), "every rule test must be skipped after the smoke "
                + "failure");
        for (Event event : skipped) {
            String reason = event.getRequiredPayload(String.class);
            assertTrue(reason.startsWith("not verified: smoke failed: \"share it with toHost(NEVER)"), reason);
            assertTrue(reason.contains("HostSharing.share"), reason);
        }
    }

    @Test
    void aCrashingDownloadIsNamedAsMemoryDownload() {
        Events events = run(HookFaults.DownloadThrowsKit.class);
        List<Event> failed = failures(events);
        assertEquals(1, failed.size(), () -> "one root failure expected: " + failed);
        String message = message(failed.get(0));
        assertTrue(message.contains("\"read it back with toHost(ALWAYS)\" failed"), message);
        assertTrue(message.contains("in the spi hook Memory.download"), message);
        assertTrue(message.contains("HookFaults$DownloadThrows.download"), message);
    }

    @Test
    void aCrashingKernelIsNamedInTheRulesThatRunIt() {
        Events events = run(HookFaults.MultiplyThrowsKit.class);
        List<Event> failed = failures(events);
        assertFalse(failed.isEmpty(), "the multiply kernel's crash went unnoticed");
        assertTrue(events.succeeded().list().stream()
                .anyMatch(e -> e.getTestDescriptor().getDisplayName().startsWith("smoke")),
                "the smoke stage uses add, which works, and must pass");
        // Rules that run the kernel directly see its exception; the concurrency rule (6.7) reports its
        // workers' exceptions as text, and names no hook.
        List<String> crashes = failed.stream().map(DiagnosticsTest::message).filter(m -> m.contains(": unexpected "))
                .toList();
        assertFalse(crashes.isEmpty(), "no rule saw the kernel's exception: " + failed);
        for (String message : crashes) {
            assertTrue(message.startsWith("rule "), message);
            assertTrue(message.contains("in the spi hook a kernel of the backend's KernelRegistry"), message);
            assertTrue(message.contains("org.example.broken.HookFaults.brokenMultiply"), message);
            assertTrue(message.contains("If this fails, check:"), message);
        }
    }

    @Test
    void aCrashingIndexCheckIsNamedAsIndexChecks() {
        List<Event> failed = failures(run(HookFaults.CanonicalCheckThrowsKit.class));
        assertFalse(failed.isEmpty(), "the index check's crash went unnoticed");
        assertTrue(failed.stream().map(DiagnosticsTest::message)
                .allMatch(m -> m.contains("in the spi hook IndexChecks.isCanonical")
                        && m.contains("HookFaults$CanonicalCheckThrows.isCanonical")),
                () -> failed.stream().map(DiagnosticsTest::message).toList().toString());
    }

    @Test
    void testNamesCarryTheRuleIdLevelAndSentence() {
        List<Event> finished = run(ReferenceBackendConformanceTest.class).finished().list();
        assertTrue(finished.size() > BackendTckMethods.ruleTests(), "every rule test and the smoke stage ran");
        for (Event event : finished) {
            // A parameterized rule's invocations are named after their arguments, under the rule's template.
            TestDescriptor test = event.getTestDescriptor();
            TestDescriptor named = test.getParent().filter(p -> p.getSource().filter(MethodSource.class::isInstance)
                    .isPresent()).orElse(test);
            String name = named.getDisplayName();
            Optional<ConformanceRule> rule = named.getSource().filter(MethodSource.class::isInstance)
                    .map(s -> ((MethodSource) s).getJavaMethod().getAnnotation(ConformanceRule.class));
            if (rule.isEmpty()) {
                assertTrue(name.startsWith("smoke — "), name);
                continue;
            }
            RuleDefinition definition = RuleCatalog.bundled().find(rule.get().value()).orElseThrow();
            assertTrue(name.startsWith(definition.id() + " " + definition.level() + " — " + definition.title()), name);
        }
    }

    /** Hooks as the spi calls them: the caller's frame and the backend method it called. */
    @ParameterizedTest(name = "{0}.{1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "org.tensorbridge.spi.KernelExecution|run|binary|a kernel of the backend's KernelRegistry",
        "org.tensorbridge.spi.KernelExecution|run|allocateForOverwrite|Memory.allocateForOverwrite",
        "org.tensorbridge.spi.Conversions|hostArray|share|HostSharing.share",
        "org.tensorbridge.spi.Conversions|lambda$hostArray$0|download|Memory.download",
        "org.tensorbridge.spi.Creation|fromBuffer|upload|Memory.upload",
        "org.tensorbridge.spi.Creation|fromBuffer|lambda$wrapping$1|HostWrapping.wrap",
        "org.tensorbridge.spi.SparseCreation|coo|firstInvalidIndex|IndexChecks.firstInvalidIndex",
        "org.tensorbridge.spi.OperationRunner|checkGuards|lambda$holds$2|ValueChecks.holds",
        "org.tensorbridge.spi.RuntimeSupport|fuse|run|Fusion.run",
        "org.tensorbridge.spi.HostCopies|download|download|Memory.download",
        "org.tensorbridge.memory.Storage|release|free|Storage.free (the last reference was released)",
        "org.tensorbridge.tck.BackendTck|startBackend|create|BackendProvider.create"})
    void everyHookIsNamedFromItsCaller(String callerClass, String callerMethod, String backendMethod, String hook) {
        StackTraceElement[] frames = {
            new StackTraceElement("java.util.Objects", "checkIndex", "Objects.java", 385),
            new StackTraceElement("com.acme.engine.Native", "copy", "Native.java", 10),
            new StackTraceElement("com.acme.backend.AcmeHooks", backendMethod, "AcmeHooks.java", 42),
            new StackTraceElement(callerClass, callerMethod, "Caller.java", 7),
            new StackTraceElement("org.tensorbridge.tck.ConversionRules", "someRule", "ConversionRules.java", 1)};
        BackendFault fault = BackendFault.locate(frames).orElseThrow();
        assertEquals("com.acme.engine.Native", fault.thrownAt().getClassName(), "the innermost backend frame");
        assertEquals("com.acme.backend.AcmeHooks", fault.entry().getClassName(), "the frame tensorbridge called");
        assertEquals(callerClass, fault.caller().getClassName());
        assertEquals(hook, fault.hook());
        assertTrue(fault.describe().contains("inside com.acme.backend.AcmeHooks." + backendMethod), fault.describe());
    }

    @Test
    void aHookInterfacesDefaultMethodIsPartOfTheHookNotItsCaller() {
        StackTraceElement[] frames = {
            new StackTraceElement("com.acme.backend.AcmeHooks", "share", "AcmeHooks.java", 42),
            new StackTraceElement("org.tensorbridge.spi.HostSharing", "shareHeld", "HostSharing.java", 30),
            new StackTraceElement("org.tensorbridge.spi.Conversions", "toHost", "Conversions.java", 45),
            new StackTraceElement("org.tensorbridge.tck.ConversionRules", "someRule", "ConversionRules.java", 1)};
        BackendFault fault = BackendFault.locate(frames).orElseThrow();
        assertEquals("org.tensorbridge.spi.Conversions", fault.caller().getClassName());
        assertEquals("HostSharing.share", fault.hook());
    }

    @Test
    void aFailureOfTheKitOrTheSpiItselfIsNotBlamedOnTheBackend() {
        StackTraceElement[] kitAssertion = {
            new StackTraceElement("org.junit.jupiter.api.AssertionUtils", "fail", "AssertionUtils.java", 1),
            new StackTraceElement("org.tensorbridge.tck.ConversionRules", "someRule", "ConversionRules.java", 1),
            new StackTraceElement("com.acme.backend.AcmeConformanceTest", "provider", "AcmeConformanceTest.java", 1)};
        assertTrue(BackendFault.locate(kitAssertion).isEmpty());
        StackTraceElement[] spiRefusal = {
            new StackTraceElement("org.tensorbridge.spi.Conversions", "hostArray", "Conversions.java", 1),
            new StackTraceElement("org.tensorbridge.spi.BackendTensor", "toHost", "BackendTensor.java", 1),
            new StackTraceElement("org.tensorbridge.tck.ConversionRules", "someRule", "ConversionRules.java", 1)};
        assertTrue(BackendFault.locate(spiRefusal).isEmpty());
        assertTrue(BackendFault.of(new AssertionError("plain")).isEmpty());
    }
}
