package org.tensorbridge.tck.report;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import org.tensorbridge.Availability;
import org.tensorbridge.BackendProvider;

/**
 * Backend jars from outside the project, opened in a child class loader of the kit's: tensorbridge's
 * api, spi and kit classes come from the parent (parent-first delegation), so the backend runs against
 * the very classes the kit judges through. {@link #providers()} lists the {@link BackendProvider}s that
 * the jars themselves register in {@code META-INF/services}, each probed once, a provider that fails
 * to load or probe isolated with the reason. Not thread-safe; close it after the run, which closes the
 * class loader.
 */
final class BackendJars implements AutoCloseable {
    /** One provider the jars register, and whether it can run here. */
    record Found(String name, String providerClass, Availability availability) {
    }

    private final List<Path> classPath;
    private final URLClassLoader loader;

    private BackendJars(List<Path> classPath, URLClassLoader loader) {
        this.classPath = classPath;
        this.loader = loader;
    }

    /**
     * Opens {@code classPath} (jars or class folders).
     *
     * @throws BackendClassPathException naming the first entry that does not exist
     */
    static BackendJars open(List<Path> classPath) {
        if (classPath.isEmpty()) {
            throw new BackendClassPathException("the class path is empty; pass the backend's jar and the jars it "
                    + "needs, separated by '" + java.io.File.pathSeparator + "'");
        }
        List<URL> urls = new ArrayList<>();
        for (Path entry : classPath) {
            if (!Files.exists(entry)) {
                throw new BackendClassPathException("class path entry " + entry.toAbsolutePath() + " does not exist; "
                        + "pass the path of the backend's jar (or class folder) and of the jars it needs");
            }
            requireJarOrFolder(entry);
            try {
                urls.add(entry.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw new BackendClassPathException("class path entry " + entry + " is not a usable path (" + e
                        + "); pass a file system path");
            }
        }
        return new BackendJars(List.copyOf(classPath),
                new URLClassLoader("backend-jars", urls.toArray(URL[]::new), BackendJars.class.getClassLoader()));
    }

    /** The class loader the backends load in; the kit's thread context class loader while it runs. */
    ClassLoader loader() {
        return loader;
    }

    /** The class path, as given. */
    List<Path> classPath() {
        return classPath;
    }

    /** The providers registered by the jars themselves (not by the kit's own class path), in the order found. */
    List<Found> providers() {
        List<Found> found = new ArrayList<>();
        Iterator<ServiceLoader.Provider<BackendProvider>> it = ServiceLoader.load(BackendProvider.class, loader)
                .stream().iterator();
        while (true) {
            ServiceLoader.Provider<BackendProvider> candidate;
            try {
                if (!it.hasNext()) {
                    break;
                }
                candidate = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                found.add(new Found("?", "?", Availability.unavailable("a provider could not be loaded: " + e)));
                continue;
            }
            Class<? extends BackendProvider> type = candidate.type();
            if (type.getClassLoader() != loader) {
                continue;
            }
            found.add(probe(type.getName(), candidate));
        }
        return found;
    }

    /** Refuses a file that is no jar: the class loader would skip it without a word. */
    private static void requireJarOrFolder(Path entry) {
        if (Files.isDirectory(entry)) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            jar.size();
        } catch (IOException e) {
            throw new BackendClassPathException("class path entry " + entry.toAbsolutePath() + " is not a jar (" + e
                    .getMessage() + "); pass the backend's jar (or class folder) and the jars it needs");
        }
    }

    private static Found probe(String className, ServiceLoader.Provider<BackendProvider> candidate) {
        String name = className;
        try {
            BackendProvider provider = candidate.get();
            name = provider.name().toLowerCase(Locale.ROOT);
            Availability availability = provider.probe();
            return new Found(name, className, availability != null ? availability
                    : Availability.unavailable("its probe() returned null; the provider is broken"));
        } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
            return new Found(name, className, Availability.unavailable("it threw during discovery (constructor, "
                    + "name or probe): " + withCauses(e)));
        }
    }

    /**
     * {@code e} and its causes, outermost first: ServiceLoader wraps a provider's own exception (and a static
     * initialiser's, in an ExceptionInInitializerError), and the innermost one says what went wrong.
     */
    private static String withCauses(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        int depth = 0;
        for (Throwable cause = e.getCause(); cause != null && depth < 8; cause = cause.getCause(), depth++) {
            text.append("; caused by ").append(cause);
        }
        return text.toString();
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}
