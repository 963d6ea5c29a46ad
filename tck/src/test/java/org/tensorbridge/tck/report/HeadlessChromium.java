package org.tensorbridge.tck.report;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium}, headless, for tests that check what a browser makes of a page: the DOM it
 * built ({@code --dump-dom}) and a screenshot. Each call uses a fresh profile folder. When chromium is
 * missing, a test aborts with the install command; under {@code CI=true} it fails instead.
 */
final class HeadlessChromium {
    static final String INSTALL = "apt-get update && apt-get install -y chromium";
    private static final long TIMEOUT_SECONDS = 120;

    private final Path executable;

    private HeadlessChromium(Path executable) {
        this.executable = executable;
    }

    /** Chromium from the PATH, or the test aborts (fails under {@code CI=true}) saying how to install it. */
    static HeadlessChromium require() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String folder : path.split(File.pathSeparator)) {
            Path candidate = Path.of(folder, "chromium");
            if (Files.isExecutable(candidate)) {
                return new HeadlessChromium(candidate);
            }
        }
        String message = "chromium is not on the PATH; install it with: " + INSTALL;
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true requires the headless browser check of report.html: " + message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** The DOM chromium built from {@code page}, serialized. */
    String dumpDom(Path page, Path work) throws IOException, InterruptedException {
        return run(page, work, "--dump-dom");
    }

    /** Renders {@code page} into {@code png}, {@code width} × {@code height} pixels. */
    void screenshot(Path page, Path work, Path png, int width, int height) throws IOException, InterruptedException {
        run(page, work, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars");
    }

    private String run(Path page, Path work, String... what) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile.toAbsolutePath()));
        command.addAll(List.of(what));
        command.add(page.toAbsolutePath().toUri().toString());
        Path stdout = work.resolve("chromium-stdout-" + System.nanoTime() + ".txt");
        Path stderr = work.resolve("chromium-stderr-" + System.nanoTime() + ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        if (process.exitValue() != 0) {
            fail("chromium exited with " + process.exitValue() + ": " + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
