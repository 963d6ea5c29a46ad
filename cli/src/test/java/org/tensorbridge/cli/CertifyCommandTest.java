package org.tensorbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.Backend;
import org.tensorbridge.graph.FusedExpression;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.spi.AbstractBackend;
import picocli.CommandLine;

/**
 * {@code tensorbridge conformance --classpath}: certifies a backend that is on no class path of the
 * command, compiled here from the kit's external test backend into a class folder of its own.
 */
class CertifyCommandTest {
    private static final Path PLAIN_BACKEND = Path.of("..", "tck", "src", "test", "external-backend", "org", "example",
            "plain", "PlainBackend.java");

    private record Run(int status, String out, String err) {
    }

    private static Run conformance(String... arguments) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            List<String> args = new ArrayList<>(List.of("conformance"));
            args.addAll(List.of(arguments));
            int status = new CommandLine(new TensorbridgeCommand()).setErr(new PrintWriter(err, true))
                    .execute(args.toArray(String[]::new));
            return new Run(status, captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(out);
        }
    }

    /** The plain backend compiled against tensorbridge's api and spi into {@code folder}, registered for ServiceLoader. */
    private static Path plainBackend(Path folder) throws Exception {
        List<String> classPath = new ArrayList<>();
        for (Class<?> type : List.of(Backend.class, HostStorage.class, FusedExpression.class, AbstractBackend.class)) {
            classPath.add(location(type));
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, errors, "--release", "17", "-d",
                folder.toString(), "-classpath", String.join(java.io.File.pathSeparator, classPath),
                PLAIN_BACKEND.toString());
        assertEquals(0, status, () -> "the external backend did not compile: " + errors.toString(StandardCharsets.UTF_8));
        Path services = Files.createDirectories(folder.resolve("META-INF/services"));
        Files.writeString(services.resolve("org.tensorbridge.BackendProvider"), "org.example.plain.PlainBackend$Provider\n");
        return folder;
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void aBackendFromOutsideIsCertifiedAndItsReportsWritten(@TempDir Path work) throws Exception {
        Path backend = plainBackend(Files.createDirectories(work.resolve("plain-classes")));
        Path reports = work.resolve("reports");

        Run run = conformance("--classpath", backend.toString(), "--output", reports.toString());

        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("registers plain (org.example.plain.PlainBackend$Provider)"), run.out());
        assertTrue(run.out().contains("plain: ") && run.out().contains("— conforming (cpu(plain loops, from a jar))"),
                run.out());
        assertTrue(run.out().contains("conformance: passed"), run.out());
        assertTrue(Files.readString(reports.resolve("report.html")).contains("<th>plain</th>"));
        assertTrue(Files.readString(reports.resolve("report.json")).contains("\"name\" : \"plain\""));
    }

    @Test
    void aMissingClassPathEntryIsAUsageErrorNamingIt(@TempDir Path work) {
        Path missing = work.resolve("no-such-backend.jar");
        Run run = conformance("--classpath", missing.toString(), "--output", work.resolve("reports").toString());
        assertEquals(2, run.status(), run.out() + run.err());
        assertTrue(run.err().contains("--classpath: class path entry " + missing.toAbsolutePath() + " does not exist"),
                run.err());
    }

    @Test
    void aProviderThatDoesNotLoadFailsTheCertification(@TempDir Path work) throws Exception {
        Path folder = Files.createDirectories(work.resolve("broken/META-INF/services"));
        Files.writeString(folder.resolve("org.tensorbridge.BackendProvider"), "org.example.NoSuchProvider\n");
        Run run = conformance("--classpath", work.resolve("broken").toString(), "--output",
                work.resolve("reports").toString());
        assertEquals(1, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("required backend missing") && run.out().contains("org.example.NoSuchProvider"),
                run.out());
        assertTrue(run.out().contains("conformance: FAILED"), run.out());
    }

    @Test
    void anOutputThatIsAFileIsAUsageErrorBeforeTheKitRuns(@TempDir Path work) throws Exception {
        Path file = Files.writeString(work.resolve("reports"), "a file, not a folder");
        Run run = conformance("--classpath", work.toString(), "--output", file.toString());
        assertEquals(2, run.status(), run.out() + run.err());
        assertTrue(run.err().contains("--output: " + file + " is a file"), run.err());
        assertTrue(!run.out().contains("conformance:"), "the kit ran before the output was checked: " + run.out());
    }
}
