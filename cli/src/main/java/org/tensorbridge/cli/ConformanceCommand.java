package org.tensorbridge.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.tensorbridge.Backends;
import org.tensorbridge.tck.KitSeed;
import org.tensorbridge.tck.RuleCatalog;
import org.tensorbridge.tck.report.BackendClassPathException;
import org.tensorbridge.tck.report.ConformanceReport;
import org.tensorbridge.tck.report.ConformanceRunner;
import org.tensorbridge.tck.report.HtmlReportWriter;
import org.tensorbridge.tck.report.JsonReportWriter;
import org.tensorbridge.tck.report.MatrixPrinter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tensorbridge conformance}: the kit against every bundled backend, or against the backends of jars
 * from outside the project ({@code --classpath}), the matrix, and the reports.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = {"Runs the conformance kit against every discovered backend (or those named) and prints the "
                + "rule x backend matrix; writes report.json and report.html.",
            "With --classpath, certifies a backend from outside the project instead: the backends that those jars "
                + "register for ServiceLoader are loaded in a class loader of their own and tested; each must be "
                + "available and meet every MUST rule.",
            "Exit status: 0 if every tested backend meets every MUST rule and every required backend is available, "
                + "1 otherwise."})
final class ConformanceCommand implements Callable<Integer> {
    @Option(names = {"-b", "--backend"}, split = ",", paramLabel = "NAME",
            description = "Backends to test (default: every discovered one).")
    private List<String> backends = new ArrayList<>();

    @Option(names = "--classpath", paramLabel = "PATH[:PATH...]",
            description = "Jars (or class folders) of a backend from outside the project and the jars it needs, "
                    + "separated by the platform's path separator (':', or ';' on Windows), tensorbridge's own left "
                    + "out: only the backends they register are tested, and each is required.")
    private String classPath;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--require", split = ",", paramLabel = "NAME",
            description = "Backends that must be available; default from TENSORBRIDGE_REQUIRE_BACKENDS.")
    private List<String> required;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "target/conformance",
            description = "Where report.json and report.html go (default: ${DEFAULT-VALUE}).")
    private Path output;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of the kit's random inputs (default: "
            + KitSeed.DEFAULT + ").")
    private long seed = Long.getLong(KitSeed.PROPERTY, KitSeed.DEFAULT);

    @Override
    public Integer call() throws IOException {
        List<String> require = required != null ? required : ConformanceRunner.requiredFromEnvironment();
        if (classPath == null) {
            System.out.println("tensorbridge conformance: discovering backends (the first run unpacks native "
                    + "libraries, which takes a while) ...");
            SlowStep.run("probing backends", Backends::list);
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            // Checked before the kit runs: a report that cannot be written would be lost after minutes of tests.
            throw new CommandLine.ParameterException(spec.commandLine(), "--output: " + output + " is a file; give "
                    + "a folder for the reports (it is made if missing)");
        }
        ConformanceRunner runner = new ConformanceRunner(System.out, new TestProgressBar());
        ConformanceReport report;
        if (classPath != null) {
            List<Path> entries = Arrays.stream(classPath.split(Pattern.quote(File.pathSeparator)))
                    .filter(entry -> !entry.isBlank()).map(Path::of).toList();
            try {
                report = runner.certify(entries, backends, seed);
            } catch (BackendClassPathException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--classpath: " + e.getMessage(), e);
            }
        } else {
            report = runner.run(backends, require, seed);
        }
        System.out.println();
        RuleCatalog catalog = RuleCatalog.bundled();
        MatrixPrinter.print(report, catalog, System.out);
        Path json = output.resolve("report.json");
        Path html = output.resolve("report.html");
        JsonReportWriter.write(report, json);
        HtmlReportWriter.write(report, catalog, html);
        System.out.println();
        System.out.println("reports: " + json + ", " + html);
        System.out.println(report.passed() ? "conformance: passed" : "conformance: FAILED");
        return report.passed() ? 0 : 1;
    }
}
