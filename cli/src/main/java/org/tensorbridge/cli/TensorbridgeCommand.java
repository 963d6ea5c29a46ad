package org.tensorbridge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tensorbridge} command: {@code conformance}, {@code backends}, {@code demo} and {@code serve}. */
@Command(name = "tensorbridge", mixinStandardHelpOptions = true, version = "tensorbridge 0.1.0",
        description = "Tensors to host arrays on the JVM, with a written contract for sharing versus copying.",
        subcommands = {ConformanceCommand.class, BackendsCommand.class, DemoCommand.class, ServeCommand.class,
            CommandLine.HelpCommand.class})
public final class TensorbridgeCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TensorbridgeCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
