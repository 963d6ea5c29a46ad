package org.tensorbridge.tck.report;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.tensorbridge.Backend;
import org.tensorbridge.graph.FusedExpression;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.spi.AbstractBackend;

/**
 * Builds a backend jar the way a third party does, at test time: compiles sources against tensorbridge's
 * api, memory, graph and spi only (with {@link JavaCompiler}), and packs the classes with a
 * {@code META-INF/services/org.tensorbridge.BackendProvider} entry. The classes are on no class path of
 * the test, so only a class loader over the jar can see them.
 */
final class BackendJarBuilder {
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> providers = new ArrayList<>();

    /** Adds a source file at {@code path} (for example {@code org/example/Foo.java}). */
    BackendJarBuilder source(String path, String code) {
        sources.put(path, code);
        return this;
    }

    /** Registers {@code providerClass} for ServiceLoader. */
    BackendJarBuilder provider(String providerClass) {
        providers.add(providerClass);
        return this;
    }

    /** Compiles everything in {@code work} and writes {@code work/name}. */
    Path build(Path work, String name) throws IOException {
        Path src = Files.createDirectories(work.resolve(name + "-src"));
        Path classes = Files.createDirectories(work.resolve(name + "-classes"));
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-proc:none", "-d", classes.toString(),
                "-classpath", apiClassPath()));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
            arguments.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK, not a JRE: no system Java compiler");
        StringWriter errors = new StringWriter();
        int status = javac.run(null, null, new WriterStream(errors), arguments.toArray(String[]::new));
        assertTrue(status == 0, "the backend did not compile: " + errors);
        Path jar = work.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
            if (!providers.isEmpty()) {
                out.putNextEntry(new JarEntry("META-INF/services/org.tensorbridge.BackendProvider"));
                out.write((String.join("\n", providers) + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Where the classes of tensorbridge's api, memory, graph and spi come from, as a javac class path. */
    private static String apiClassPath() {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(Backend.class, HostStorage.class, FusedExpression.class, AbstractBackend.class)) {
            try {
                entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException("the location of " + type + " is not a path", e);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** javac's diagnostics into a {@link StringWriter}. */
    private static final class WriterStream extends OutputStream {
        private final StringWriter writer;

        WriterStream(StringWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            writer.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            writer.write(new String(bytes, offset, length, StandardCharsets.UTF_8));
        }
    }
}
