package org.tensorbridge.flight;

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
 * Runs Python with pyarrow 25.0.1 (whose {@code pyarrow.flight} is the other side of the cross-checks) and
 * NumPy, as interop-arrow's tests do: the interpreter named by {@code TENSORBRIDGE_PYTHON} ({@code .ci/run}
 * sets it to the virtual environment it makes), else {@code .venv/bin/python} at the root of the repository,
 * else {@code python3}. In CI ({@code CI=true}) a missing interpreter or module fails the test; elsewhere it
 * skips the test, naming what to install.
 */
final class PythonPeer {
    static final String INSTALL = "python3 -m venv .venv && .venv/bin/pip install pyarrow==25.0.1 numpy scipy "
            + "flatbuffers";
    static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final String PYARROW_VERSION = "25.0.1";

    private PythonPeer() {
    }

    /** {@code src/test/python/flight_peer.py} with {@code arguments}. */
    static List<String> peer(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(find(), MODULE.resolve("src/test/python/flight_peer.py")
                .toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    /** Runs {@code command}, which must exit with 0 within five minutes; returns its output. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), () -> command + " did not finish: " + output);
        assertEquals(0, process.exitValue(), () -> command + " failed: " + output);
        System.out.print(output);
        return output;
    }

    /** The interpreter that has pyarrow 25.0.1 with Flight, and NumPy. */
    static String find() throws IOException, InterruptedException {
        String named = System.getenv("TENSORBRIDGE_PYTHON");
        List<String> candidates = named != null && !named.isBlank() ? List.of(named)
                : List.of(MODULE.getParent().resolve(".venv/bin/python").toString(), "python3");
        String probe = "import pyarrow, pyarrow.flight, numpy; assert pyarrow.__version__ == '" + PYARROW_VERSION
                + "', pyarrow.__version__";
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
        String why = "no Python with pyarrow " + PYARROW_VERSION + " (and pyarrow.flight) and NumPy (tried "
                + candidates + "); from the repository root: " + INSTALL;
        if ("true".equals(System.getenv("CI"))) {
            fail(why + " (.ci/run does this and sets TENSORBRIDGE_PYTHON)");
        }
        Assumptions.abort(why);
        return null;
    }
}
