package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code src/test/python/pyarrow_peer.py}, the pyarrow side of the cross-checks, with pyarrow
 * 25.0.1, NumPy, SciPy and flatbuffers: the interpreter named by the environment variable
 * {@code TENSORBRIDGE_PYTHON} ({@code .ci/run} sets it to the virtual environment it makes), else
 * {@code .venv/bin/python} at the root of the repository, else {@code python3}. In CI ({@code CI=true}) a
 * missing interpreter or module fails the test; elsewhere it skips the test, naming what to install.
 */
final class PythonPeer {
    static final String INSTALL = "python3 -m venv .venv && .venv/bin/pip install pyarrow==25.0.1 numpy scipy "
            + "flatbuffers";
    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final String PYARROW_VERSION = "25.0.1";

    private PythonPeer() {
    }

    /** Runs {@code pyarrow_peer.py mode folder}; it must exit with 0. Returns its output. */
    static String run(String mode, Path folder) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(find(), MODULE.resolve("src/test/python/pyarrow_peer.py")
                .toString(), mode, folder.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "pyarrow_peer.py " + mode + " did not finish: " + output);
        assertEquals(0, process.exitValue(), "pyarrow_peer.py " + mode + " failed: " + output);
        System.out.print(output);
        return output;
    }

    private static String find() throws IOException, InterruptedException {
        String named = System.getenv("TENSORBRIDGE_PYTHON");
        List<String> candidates = named != null && !named.isBlank() ? List.of(named)
                : List.of(MODULE.getParent().resolve(".venv/bin/python").toString(), "python3");
        String probe = "import pyarrow, numpy, scipy.sparse, flatbuffers; assert pyarrow.__version__ == '"
                + PYARROW_VERSION + "', pyarrow.__version__";
        for (String candidate : candidates) {
            try {
                Process process = new ProcessBuilder(candidate, "-c", probe).redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (process.waitFor(1, TimeUnit.MINUTES) && process.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException notThere) {
                // Try the next one.
            }
        }
        String why = "no Python with pyarrow " + PYARROW_VERSION + ", NumPy, SciPy and flatbuffers (tried " + candidates
                + "); from the repository root: " + INSTALL;
        if ("true".equals(System.getenv("CI"))) {
            fail(why + " (.ci/run does this and sets TENSORBRIDGE_PYTHON)");
        }
        Assumptions.abort(why);
        return null;
    }
}
