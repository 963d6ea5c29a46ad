package org.tensorbridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.memory.MemoryLedger;

/**
 * The README's tour is this module's {@link Tour}, verbatim, and it runs leak-free: the ledger of every
 * backend is where it started after each part (and the suite's leak check runs on this class too).
 */
class TourTest {
    private static final Path SOURCE = Path.of("src/main/java/org/tensorbridge/examples/Tour.java");
    private static final Path README = Path.of("../README.md");

    @Test
    void everyTourBlockOfTheReadmeIsTourJavaVerbatim() throws IOException {
        String readme = Files.readString(README);
        List<String> blocks = tourBlocks(Files.readString(SOURCE));
        assertEquals(3, blocks.size(), "Tour.java has the eager, graph and sparse blocks");
        for (String block : blocks) {
            assertTrue(readme.contains(block), "README.md does not quote this part of Tour.java verbatim:\n" + block);
        }
    }

    @Test
    void theTourRunsAndLeavesNoMemoryOpen() {
        Backend cpu = Backends.get("cpu");
        long before = liveBlocks();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Tour.eager(cpu, out);
        Tour.graph(cpu, out);
        Tour.sparse(cpu, out);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("[[2, 6], [12, 20]] SHARED 0"), printed);
        assertTrue(printed.contains("[[2, 6], [12, 20]] INDEPENDENT 0"), printed);
        assertTrue(printed.contains("[[0, 1], [2, 3]] [0, 1, 1, 2] [3, 4]"), printed);
        assertEquals(before, liveBlocks(), "the tour left blocks open: " + MemoryLedger.all());
    }

    private static long liveBlocks() {
        return MemoryLedger.all().stream().mapToLong(MemoryLedger::liveBlocks).sum();
    }

    /** The lines between {@code // tour: ...} and {@code // end tour}, dedented as the README shows them. */
    private static List<String> tourBlocks(String source) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("// tour: \\w+\\n(.*?)\\n\\s*// end tour", Pattern.DOTALL).matcher(source);
        while (m.find()) {
            String[] lines = m.group(1).split("\n");
            StringBuilder block = new StringBuilder();
            for (String line : lines) {
                block.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
            }
            blocks.add(block.toString().stripTrailing());
        }
        return blocks;
    }
}
