package org.tensorbridge.tck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.tck.ConformanceExtension;
import org.tensorbridge.tck.RuleCatalog;

/**
 * Certifying a backend jar from outside the project: the runner loads the jar in a class loader of its
 * own, finds the providers it registers for ServiceLoader, and runs the whole kit on them. The jars are
 * compiled here from source: a small backend written on the spi alone ({@code src/test/external-backend}),
 * and one whose share hook crashes.
 */
class BackendJarCertificationTest {
    /** Outside the build's source roots: only the jar this test builds holds its classes. */
    private static final Path PLAIN_BACKEND = Path.of("src", "test", "external-backend", "org", "example", "plain",
            "PlainBackend.java");

    private static final String CRASHING_SHARE = """
            package org.example.crashing;

            import org.tensorbridge.Availability;
            import org.tensorbridge.Backend;
            import org.tensorbridge.BackendProvider;
            import org.tensorbridge.DType;
            import org.tensorbridge.Device;
            import org.tensorbridge.memory.HostStorage;
            import org.tensorbridge.memory.Storage;
            import org.tensorbridge.spi.AbstractBackend;
            import org.tensorbridge.spi.BackendSpec;
            import org.tensorbridge.spi.HostMemory;
            import org.tensorbridge.spi.HostSharing;
            import java.util.EnumSet;

            public final class CrashingBackend extends AbstractBackend {
                public CrashingBackend() {
                    super(BackendSpec.builder("crashing", Device.cpu("a crashing share hook"))
                            .dtypes(EnumSet.of(DType.FLOAT32))
                            .memory(ledger -> new HostMemory(ledger, false))
                            .sharing(new HostSharing() {
                                @Override
                                public HostStorage share(Storage storage) {
                                    Object[] views = new Object[0];
                                    return (HostStorage) views[0];
                                }

                                @Override
                                public boolean writable() {
                                    return false;
                                }
                            })
                            .build());
                }

                public static final class Provider implements BackendProvider {
                    @Override public String name() { return "crashing"; }
                    @Override public int priority() { return 0; }
                    @Override public Availability probe() { return Availability.available(); }
                    @Override public Backend create() { return new CrashingBackend(); }
                }
            }
            """;

    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private final ConformanceRunner runner = new ConformanceRunner(new PrintStream(progress, true,
            StandardCharsets.UTF_8));

    private static Path plainJar(Path work) throws Exception {
        assertTrue(Files.isRegularFile(PLAIN_BACKEND), "the backend's source is missing: " + PLAIN_BACKEND.toAbsolutePath());
        return new BackendJarBuilder()
                .source("org/example/plain/PlainBackend.java", Files.readString(PLAIN_BACKEND, StandardCharsets.UTF_8))
                .provider("org.example.plain.PlainBackend$Provider")
                .build(work, "plain-backend.jar");
    }

    @Test
    void aBackendJarFromOutsideTheProjectIsCertified(@TempDir Path work) throws Exception {
        Path jar = plainJar(work);
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.example.plain.PlainBackend"),
                "the backend must come from its jar alone, not from the test's class path");

        ConformanceReport report = runner.certify(List.of(jar), List.of(), 7);

        assertTrue(report.passed(), () -> "the plain backend did not pass: " + report.backends().get(0).rules().stream()
                .filter(r -> r.status() == RuleStatus.FAILED).toList());
        assertEquals(1, report.backends().size(), report.toString());
        BackendReport plain = report.backends().get(0);
        assertEquals("plain", plain.name());
        assertNull(plain.smokeFailure());
        assertEquals("cpu(plain loops, from a jar)", plain.device());
        assertEquals(RuleCatalog.bundled().all().size(), plain.rules().size());
        assertEquals(0, plain.count(RuleStatus.FAILED));
        assertTrue(plain.count(RuleStatus.PASSED) > 40, "most rules apply to any backend: " + plain);
        assertTrue(plain.count(RuleStatus.NOT_APPLICABLE) > 0, "the plain backend lacks most operations: " + plain);
        assertEquals(RuleStatus.PASSED, plain.verdict(RuleCatalog.bundled().find("13.1").orElseThrow()).status(),
                "the discovery rule finds the provider in its jar");
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("registers plain (org.example.plain.PlainBackend$Provider)"),
                progress.toString(StandardCharsets.UTF_8));

        JsonReportWriter.write(report, work.resolve("out/report.json"));
        HtmlReportWriter.write(report, RuleCatalog.bundled(), work.resolve("out/report.html"));
        assertTrue(Files.readString(work.resolve("out/report.html")).contains("<th>plain</th>"));
    }

    @Test
    void aJarWhoseShareHookCrashesFailsAtTheSmokeStage(@TempDir Path work) throws Exception {
        Path jar = new BackendJarBuilder().source("org/example/crashing/CrashingBackend.java", CRASHING_SHARE)
                .provider("org.example.crashing.CrashingBackend$Provider").build(work, "crashing.jar");

        ConformanceReport report = runner.certify(List.of(jar), List.of(), 7);

        assertFalse(report.passed());
        BackendReport crashing = report.backends().get(0);
        String smoke = crashing.smokeFailure();
        assertTrue(smoke != null && smoke.contains("share it with toHost(NEVER)") && smoke.contains(
                "ArrayIndexOutOfBoundsException") && smoke.contains("org.example.crashing.CrashingBackend$1.share")
                && smoke.contains("in the spi hook HostSharing.share"), "the smoke failure names the hook: " + smoke);
        assertEquals(0, crashing.count(RuleStatus.FAILED), "one root failure, not one per rule: " + crashing);
        assertEquals(crashing.rules().size(), crashing.count(RuleStatus.NOT_VERIFIED));
        assertTrue(crashing.rules().stream().allMatch(r -> r.message().startsWith(ConformanceExtension.SMOKE_FAILED)),
                crashing.rules().toString());
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        MatrixPrinter.print(report, RuleCatalog.bundled(), new PrintStream(text, true, StandardCharsets.UTF_8));
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("crashing SMOKE FAILED — \"share it with toHost(NEVER)"),
                text.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aClassPathThatRegistersNoBackendFailsCertification(@TempDir Path work) throws Exception {
        Path jar = new BackendJarBuilder().source("org/example/empty/Nothing.java",
                "package org.example.empty; public final class Nothing { }").build(work, "empty.jar");
        ConformanceReport report = runner.certify(List.of(jar), List.of(), 7);
        assertFalse(report.passed());
        assertTrue(report.missingRequired().get(0).contains("META-INF/services/org.tensorbridge.BackendProvider"),
                report.missingRequired().toString());
    }

    @Test
    void aMissingJarIsRefusedNamingIt(@TempDir Path work) {
        Path missing = work.resolve("no-such-backend.jar");
        BackendClassPathException refused = assertThrows(BackendClassPathException.class,
                () -> runner.certify(List.of(missing), List.of(), 7));
        assertTrue(refused.getMessage().contains(missing.toAbsolutePath().toString()), refused.getMessage());
        assertEquals("TB-TCK-CLASSPATH", refused.code());
    }

    /** A provider that throws while it is made: the report names its own exception, not only ServiceLoader's. */
    @Test
    void aProviderThatThrowsWhenMadeIsReportedWithItsOwnException(@TempDir Path work) throws Exception {
        Path jar = new BackendJarBuilder().source("org/example/boom/Boom.java", """
                package org.example.boom;

                import org.tensorbridge.Availability;
                import org.tensorbridge.Backend;
                import org.tensorbridge.BackendProvider;

                public final class Boom implements BackendProvider {
                    public Boom() { throw new IllegalStateException("boom while constructing"); }
                    @Override public String name() { return "boom"; }
                    @Override public int priority() { return 0; }
                    @Override public Availability probe() { return Availability.available(); }
                    @Override public Backend create() { return null; }
                }
                """).provider("org.example.boom.Boom").build(work, "boom.jar");
        ConformanceReport report = runner.certify(List.of(jar), List.of(), 7);
        assertFalse(report.passed());
        assertTrue(report.missingRequired().toString().contains("IllegalStateException: boom while constructing"),
                report.missingRequired().toString());
    }

    /** A file that is not a jar is refused by name; the class loader would skip it without a word. */
    @Test
    void aFileThatIsNoJarIsRefusedNamingIt(@TempDir Path work) throws Exception {
        Path garbage = Files.writeString(work.resolve("garbage.jar"), "not a zip");
        BackendClassPathException refused = assertThrows(BackendClassPathException.class,
                () -> runner.certify(List.of(garbage), List.of(), 7));
        assertTrue(refused.getMessage().contains(garbage.toAbsolutePath() + " is not a jar"), refused.getMessage());
    }
}
