package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a scenario that might kill the JVM (a native library's abort or crash) in a child JVM, so that a crash
 * fails the test that asked for it instead of killing the test run: for backend authors' tests of inputs that
 * native code might not survive. The child runs on this JVM's class path (and JavaCPP cache folder); its output
 * and any crash report go to a temporary folder, deleted afterwards. Stateless and thread-safe; each call starts
 * and waits for one process.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Runs {@code main} (a class with a {@code public static void main(String[])}) with the argument
     * {@code scenario} on this JVM's class path and returns its output, standard error included; fails the
     * calling test, with that output, if the child did not exit with status 0 within two minutes.
     */
    public static String run(Class<?> main, String scenario) throws IOException, InterruptedException {
        Path folder = Files.createTempDirectory("tensorbridge-child-jvm");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ErrorFile=" + folder.resolve("hs_err_pid%p.log"),
                "-cp", System.getProperty("java.class.path")));
        String cacheDir = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cacheDir != null) {
            command.add("-Dorg.bytedeco.javacpp.cachedir=" + cacheDir);
        }
        command.add(main.getName());
        command.add(scenario);
        Path log = folder.resolve("output.txt");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(2, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        deleteRecursively(folder);

        assertTrue(finished, () -> "the child JVM did not finish in 2 minutes:\n" + output);
        assertEquals(0, child.exitValue(), () -> "the child JVM died (exit code " + child.exitValue()
                + "); its output, ending with what it was running:\n" + output);
        return output;
    }

    /** Prints a line of the child's output at once, so that a crash report follows the last step begun. */
    public static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(folder);
    }
}
