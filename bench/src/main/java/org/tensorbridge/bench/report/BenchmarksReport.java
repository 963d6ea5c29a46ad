package org.tensorbridge.bench.report;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code BENCHMARKS.md} from one run: JMH's JSON results, the NumPy figures recorded beside
 * them, and what the run command passes about itself. Every figure in the file comes from those
 * results; nothing is typed in by hand.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.tensorbridge.bench.report.BenchmarksReport \
 *     --jmh results.json --numpy numpy.json --command "bench/run-short-suite.sh" \
 *     [--started TIME] [--finished TIME] [--load-before TEXT] [--load-after TEXT] [--revision TEXT] \
 *     [--opencl "PLATFORM / DEVICE" or "none: REASON"] [--rows P3,P5] \
 *     --out BENCHMARKS.md
 * </pre>
 */
public final class BenchmarksReport {
    private final JmhResults jmh;
    private final PeerResults peers;
    private final Map<String, String> run;
    private final Machine machine;

    /**
     * @param jmh the run's results
     * @param peers the figures recorded beside them
     * @param run what the command says about itself: {@code command}, {@code started}, {@code finished},
     *     {@code load-before}, {@code load-after}, {@code revision}, {@code opencl} (the OpenCL device the GPU
     *     rows ran on, or {@code none: reason}; absent: unknown), {@code rows} (comma-separated row ids to
     *     report; absent: all)
     * @param machine where it ran
     */
    public BenchmarksReport(JmhResults jmh, PeerResults peers, Map<String, String> run, Machine machine) {
        this.jmh = jmh;
        this.peers = peers;
        this.run = Map.copyOf(run);
        this.machine = machine;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs but got '" + args[i]
                        + "'; see the class javadoc for the options");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : List.of("jmh", "out", "command")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required; see the class javadoc");
            }
        }
        JmhResults jmh = JmhResults.read(Path.of(options.remove("jmh")));
        String numpy = options.remove("numpy");
        PeerResults peers = numpy == null ? PeerResults.missing("the run recorded no NumPy figures")
                : PeerResults.read(Path.of(numpy));
        Path out = Path.of(options.remove("out"));
        Files.writeString(out, new BenchmarksReport(jmh, peers, options, Machine.current()).markdown());
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** The whole file. */
    public String markdown() {
        List<Row> rows = Rows.all(new OpenClRow(run.get("opencl")));
        if (run.containsKey("rows")) {
            // A run of some rows only (the GPU rows on a GPU machine, say) reports those rows only.
            List<String> wanted = List.of(run.get("rows").split(","));
            rows = rows.stream().filter(row -> wanted.contains(row.id())).toList();
        }
        Map<Row, List<Line>> lines = new LinkedHashMap<>();
        rows.forEach(row -> lines.put(row, row.lines(jmh, peers)));

        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n")
                .append("Written by `").append(run.get("command")).append("` from one JMH run")
                .append(run.containsKey("finished") ? " that ended " + run.get("finished") : "")
                .append("; do not edit by hand, run the command again. Every ratio is of two results of that ")
                .append("same run: *speed* is baseline time ÷ tensorbridge time (above 1: tensorbridge is faster), ")
                .append("*time* is the inverse, *bytes* compares allocation per call (`-prof gc`, ")
                .append("`gc.alloc.rate.norm`). Times are JMH's average time per call with its 99.9 % error. The ")
                .append("machine is shared and small (see the end), so single figures are noisy; the ratios are what ")
                .append("the targets judge.\n\n");

        md.append("## Summary\n\n| id | measure | target | status |\n|---|---|---|---|\n");
        for (Row row : rows) {
            md.append("| ").append(row.id()).append(" | ").append(cell(row.measure())).append(" | ")
                    .append(cell(row.target())).append(" | ").append(cell(status(row, lines.get(row)))).append(" |\n");
        }

        for (Row row : rows) {
            if (row.notMeasuredBecause() != null) {
                continue;
            }
            md.append("\n## ").append(row.id()).append(": ").append(row.measure()).append("\n\n")
                    .append("Target: ").append(row.target()).append(".\n\n")
                    .append("| measure | baseline | baseline score | score | ratio | target | met | limited by |\n")
                    .append("|---|---|---|---|---|---|---|---|\n");
            Map<String, String> notes = new LinkedHashMap<>();
            for (Line line : lines.get(row)) {
                String note = line.limit().isEmpty() ? ""
                        : "note " + notes.computeIfAbsent(line.limit(), text -> String.valueOf((char) ('a' + notes.size())));
                md.append("| ").append(cell(line.measure())).append(" | ").append(cell(line.baseline())).append(" | ")
                        .append(cell(line.baselineFigure())).append(" | ").append(cell(line.score())).append(" | ")
                        .append(cell(line.ratio())).append(" | ").append(cell(line.target())).append(" | ")
                        .append(line.verdict().text()).append(" | ").append(note).append(" |\n");
            }
            if (!notes.isEmpty()) {
                md.append("\nWhat limits the lines that miss their target:\n\n");
                notes.forEach((text, key) -> md.append("- **").append(key).append("**: ").append(text).append(".\n"));
            }
        }

        if (rows.stream().anyMatch(row -> row.notMeasuredBecause() != null)) {
            md.append("\n## Not measured\n\n");
            for (Row row : rows) {
                if (row.notMeasuredBecause() != null) {
                    md.append("- **").append(row.id()).append("** (").append(row.measure()).append("; target ")
                            .append(row.target()).append("): ").append(row.notMeasuredStatus()).append(".\n");
                }
            }
        }

        md.append("\n## Recorded beside the JMH run\n\n");
        if (peers.missingReason() != null) {
            md.append("No NumPy figures: ").append(peers.missingReason()).append(".\n");
        } else {
            md.append(peers.description()).append(".\n\n| row | expression | size | time per call |\n|---|---|---|---|\n");
            for (Measurement m : peers.measurements()) {
                md.append("| ").append(m.params().get("row")).append(" | `").append(m.benchmark()).append("` | ")
                        .append(m.params().get("param")).append(" | ").append(Format.nanos(m.nanos())).append(" |\n");
            }
        }

        md.append(METHOD);

        md.append("\n## Machine and command\n\n")
                .append("- Command: `").append(run.get("command")).append("`")
                .append(run.containsKey("started") ? ", started " + run.get("started") : "")
                .append(run.containsKey("finished") ? ", finished " + run.get("finished") : "").append("\n");
        if (run.containsKey("revision")) {
            md.append("- Source: ").append(run.get("revision")).append("\n");
        }
        if (run.containsKey("opencl")) {
            md.append("- OpenCL device (P3, P5): ").append(run.get("opencl")).append("\n");
        }
        md.append("- Processors (`nproc`): ").append(machine.processors()).append("\n")
                .append("- CPU: ").append(machine.cpuModel()).append("\n")
                .append("- Memory: ").append(machine.memory()).append("\n")
                .append("- OS: ").append(machine.os()).append("\n");
        if (run.containsKey("load-before") || run.containsKey("load-after")) {
            md.append("- Load average (`/proc/loadavg`), before the run: ").append(run.getOrDefault("load-before", "?"))
                    .append("; after: ").append(run.getOrDefault("load-after", "?"))
                    .append(" (other work shared the machine when this is well above 0)\n");
        }
        md.append("- JDK: ").append(jmh.environment("jdkVersion")).append(", ").append(jmh.environment("vmName"))
                .append(" ").append(jmh.environment("vmVersion")).append("\n")
                .append("- JMH ").append(jmh.environment("jmhVersion")).append(", average time")
                .append(jmh.measurements().stream().anyMatch(m -> m.allocatedBytes().isPresent()) ? ", `-prof gc`" : "")
                .append(":\n");
        for (String type : jmh.benchmarkClasses()) {
            md.append("  - ").append(type).append(": ").append(jmh.settings(type)).append(", JVM options `")
                    .append(String.join(" ", jmh.jvmArgs(type))).append("`\n");
        }
        md
                .append("- Libraries on the benchmark class path: ").append(String.join(", ", libraries())).append("\n");
        return md.toString();
    }

    private static String status(Row row, List<Line> lines) {
        if (row.notMeasuredBecause() != null) {
            return row.notMeasuredStatus();
        }
        long judged = lines.stream().filter(l -> l.verdict() == Verdict.MET || l.verdict() == Verdict.MISSED).count();
        long met = lines.stream().filter(l -> l.verdict() == Verdict.MET).count();
        long none = lines.stream().filter(l -> l.verdict() == Verdict.NO_RESULT).count();
        String text = judged == 0 ? "no result" : met == judged ? "met (" + met + " of " + judged + " lines)"
                : (met == 0 ? "missed" : "partly met") + " (" + met + " of " + judged + " lines met)";
        return none > 0 ? text + "; " + none + " lines without a result" : text;
    }

    /** Jar names of the peers and of tensorbridge, which carry their versions. */
    private static List<String> libraries() {
        List<String> names = new ArrayList<>();
        for (String type : List.of("org.tensorbridge.backend.cpu.CpuBackend", "org.nd4j.linalg.factory.Nd4j",
                "org.bytedeco.javacpp.Loader", "org.tensorflow.EagerSession", "org.openjdk.jmh.Main",
                "org.tensorbridge.backend.gpu.GpuBackend", "org.jocl.CL", "org.tensorbridge.arrow.ArrowExport",
                "org.tensorbridge.backend.tensorflow.TensorflowBackend",
                "org.apache.arrow.vector.Float4Vector")) {
            try {
                CodeSource source = Class.forName(type, false, BenchmarksReport.class.getClassLoader())
                        .getProtectionDomain().getCodeSource();
                names.add(source == null ? type : Path.of(source.getLocation().toURI()).getFileName().toString());
            } catch (ClassNotFoundException | URISyntaxException e) {
                names.add(type + " (not found)");
            }
        }
        return names;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static final String METHOD = """

            ## How each side is run

            - One JMH run (`-prof gc`), a fresh JVM for each benchmark and parameter; forks, iterations and JVM \
            options are listed at the end.
            - tensorbridge: the CPU backend found through `Backends.get("cpu")`, float32 tensors. Every host array \
            and result is closed inside the measured call.
            - ND4J (raw): the same ND4J that the CPU backend runs on. `a.add(b)` results are closed in the call \
            (`INDArray.close()`), which frees their memory at once.
            - JDK: bulk copies from a direct buffer of the same size (`FloatBuffer.get(int, float[])`, \
            `ByteBuffer.put(int, ByteBuffer, int, int)`).
            - TensorFlow Java 1.1.0 (`tensorflow-core-api` with `tensorflow-core-native` `linux-x86_64`, JavaCPP \
            1.5.11 pinned in the bench module so that ND4J loads beside it). Copies: `TFloat32.copyTo(DataBuffer)` \
            into a `float[]` and into a direct `FloatBuffer` allocated once. Eager arithmetic: an `EagerSession` of \
            the benchmark's own, the operands are constants, and each result's native handles are freed inside the \
            call (`TensorFlowEagerResults`, through TensorFlow's package-private handles), because TensorFlow Java \
            keeps eager outputs until the session closes or a garbage collection, and memory otherwise grows by \
            gigabytes.
            - TensorFlow Java graphs (P4b): a `Graph` with two float32 placeholders and `math.add`, one `Session`; \
            each call feeds two tensors made once and closes the `Result`.
            - GPU backend (P3, P5): `Backends.get("gpu")` on the OpenCL device named under "Machine and command"; \
            raw JOCL (P3's baseline) opens its own context and queue on the same device. Where that device is PoCL, \
            OpenCL runs on the CPU and the figures describe the CPU. Without an OpenCL device the suite skips them.
            - Arrow (P6): interop-arrow on Arrow Java, one `RootAllocator` per trial closed after it (it throws on \
            a leak); every exported column, imported tensor and filled vector is closed inside the call. The fork \
            runs with `--add-opens=java.base/java.nio=ALL-UNNAMED`, which Arrow needs on Java 17.
            - TensorFlow backend (P8): `Backends.get("tensorflow")`, float32. Its eager results are TensorFlow's \
            outputs adopted as the tensors' memory and closed inside the call; `toHost(NEVER)` is a host view of \
            TensorFlow's memory, closed inside the call; its graphs run as TensorFlow graphs in TensorFlow sessions, \
            and `Session.run` copies the result out of TensorFlow's output into an independent host array. The \
            baselines are TensorFlow Java 1.1.0 in the same run: eager `math.add`/`math.mul` on `EagerSession` \
            constants (results freed as for P4), `asRawTensor().data().asFloats()` (TensorFlow Java's typed view of a \
            tensor's memory), and `Session.runner()` on the same small graph as P4b.
            - Arrow Flight (P9): interop-flight's `TensorFlightServer` and `TensorFlightClient` over loopback in \
            the fork's own JVM, against Arrow Flight Java's `FlightServer` with a `NoOpFlightProducer` sending one \
            `Float4Vector` and a `FlightClient` reading it; every JMH thread has its own clients and allocator.
            - NumPy and SciPy: `bench/numpy_peers.py`, run by the same command before JMH, with `timeit`; its \
            figures are listed above, put beside P1 and P4 as context and used as P7's baseline (SciPy CSR @ dense).
            """;
}
