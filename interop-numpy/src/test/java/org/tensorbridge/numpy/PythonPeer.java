package org.tensorbridge.numpy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the Python side of the interchange tests with NumPy and SciPy: the interpreter named by the
 * environment variable {@code TENSORBRIDGE_PYTHON} ({@code .ci/run} sets it to the virtual environment it
 * makes, with pyarrow 25.0.1, NumPy and SciPy from pip), else {@code .venv/bin/python} at the root of the
 * repository, else {@code python3}. In CI ({@code CI=true}) a missing interpreter or module fails the
 * test; elsewhere it skips the test, naming what to install.
 */
final class PythonPeer {
    static final String INSTALL = "python3 -m venv .venv && .venv/bin/pip install pyarrow==25.0.1 numpy scipy";
    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();

    private PythonPeer() {
    }

    /** Runs numpy_peer.py (a test resource) in {@code mode} over {@code folder}. */
    static void run(String mode, Path folder) throws IOException, InterruptedException {
        Path script = folder.resolve("numpy_peer.py");
        try (InputStream resource = PythonPeer.class.getResourceAsStream("numpy_peer.py")) {
            Files.copy(resource, script);
        }
        runScript(script, mode, folder.toString());
    }

    /** Runs a script of {@code src/test/python/} with {@code arguments}; it must exit with 0. */
    static void runScript(String name, String... arguments) throws IOException, InterruptedException {
        runScript(MODULE.resolve("src/test/python").resolve(name), arguments);
    }

    private static void runScript(Path script, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(find(), script.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "Python did not finish: " + output);
        assertEquals(0, process.exitValue(), "NumPy/SciPy rejected what tensorbridge wrote: " + output);
    }

    private static String find() throws IOException, InterruptedException {
        String named = System.getenv("TENSORBRIDGE_PYTHON");
        List<String> candidates = named != null && !named.isBlank() ? List.of(named)
                : List.of(MODULE.getParent().resolve(".venv/bin/python").toString(), "python3");
        for (String candidate : candidates) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import numpy, scipy.sparse").redirectErrorStream(true)
                        .start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(1, TimeUnit.MINUTES) && probe.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException notThere) {
                // Try the next one.
            }
        }
        String why = "no Python with NumPy and SciPy (tried " + candidates + "); from the repository root: " + INSTALL;
        if ("true".equals(System.getenv("CI"))) {
            fail(why + " (.ci/run does this and sets TENSORBRIDGE_PYTHON)");
        }
        Assumptions.abort(why);
        return null;
    }
}
