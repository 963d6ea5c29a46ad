package org.tensorbridge.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine the report is written on, read from {@code /proc} (Linux) and the JVM: processors, CPU
 * model, memory, operating system. The report is written right after the run, on the same machine.
 *
 * @param processors processors available to the JVM, what {@code nproc} prints
 * @param cpuModel the first {@code model name} of {@code /proc/cpuinfo}
 * @param memory {@code MemTotal} of {@code /proc/meminfo}, in GiB
 * @param os operating system, version and architecture
 */
public record Machine(int processors, String cpuModel, String memory, String os) {
    /** This machine. */
    public static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemory(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
    }

    private static String readCpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown (no model name in /proc/cpuinfo)";
    }

    private static String readMemory() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format(Locale.ROOT, "%.1f GiB", kib / (1024.0 * 1024.0));
            }
        }
        return "unknown (no MemTotal in /proc/meminfo)";
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
