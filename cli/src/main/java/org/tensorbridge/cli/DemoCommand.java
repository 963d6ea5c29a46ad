package org.tensorbridge.cli;

import java.util.concurrent.Callable;
import org.tensorbridge.Backends;
import org.tensorbridge.examples.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tensorbridge demo}: the TensorFlow snippet in Java, with each host array's sharing report. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs a = constant([[1, 2], [3, 4]]); multiply(a, add(a, 1)) and shows shares and copies.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-b", "--backend"}, paramLabel = "NAME", description = "Backend to use (default: the default one).")
    private String backend;

    @Override
    public Integer call() {
        Demo.run(SlowStep.run("starting the backend", () -> backend == null ? Backends.get() : Backends.get(backend)),
                System.out);
        return 0;
    }
}
