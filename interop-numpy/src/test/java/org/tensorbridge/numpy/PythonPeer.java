package org.tensorbridge.numpy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs numpy_peer.py with Debian's python3 and its python3-numpy and python3-scipy. In CI they
 * must be installed; elsewhere a missing NumPy skips the test with the packages to install.
 */
final class PythonPeer {
    private PythonPeer() {
    }

    static void run(String mode, Path folder) throws IOException, InterruptedException {
        String python = find();
        Path script = folder.resolve("numpy_peer.py");
        try (InputStream resource = PythonPeer.class.getResourceAsStream("numpy_peer.py")) {
            Files.copy(resource, script);
        }
        Process process = new ProcessBuilder(python, script.toString(), mode, folder.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "NumPy did not finish: " + output);
        assertEquals(0, process.exitValue(), "NumPy/SciPy rejected what tensorbridge wrote: " + output);
    }

    private static String find() throws IOException, InterruptedException {
        for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
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
        String why = "NumPy and SciPy are not installed for python3; install the Debian packages python3-numpy "
                + "python3-scipy";
        if ("true".equals(System.getenv("CI"))) {
            fail(why + " (.ci/run installs them)");
        }
        Assumptions.abort(why);
        return null;
    }
}
