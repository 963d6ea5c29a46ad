package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Availability;
import org.tensorbridge.BackendProvider;

/**
 * Rule 13.1: the provider is found the way users find it — {@link ServiceLoader} — under its name, its
 * class loads in a fresh class loader, and probing it again is cheap and gives the same answer.
 */
public interface DiscoveryRules extends KitContext {

    @Test
    @ConformanceRule("13.1")
    default void theProviderIsRegisteredLoadsFreshAndProbesConsistently() throws Exception {
        BackendProvider provider = providerUnderTest();
        String name = provider.name();
        boolean registered = false;
        for (ServiceLoader.Provider<BackendProvider> found : ServiceLoader.load(BackendProvider.class,
                provider.getClass().getClassLoader()).stream().toList()) {
            if (found.type() == provider.getClass()) {
                registered = true;
                assertEquals(name, found.get().name(), "the registered provider's name");
            }
        }
        if (!registered) {
            fail("provider " + provider.getClass().getName() + " (\"" + name + "\") is not registered for ServiceLoader: "
                    + "list it in META-INF/services/org.tensorbridge.BackendProvider (and with 'provides' in "
                    + "module-info if the backend is a named module)");
        }

        List<URL> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                classPath.add(toUrl(entry));
            }
        }
        // A provider from jars outside the application class path (a backend jar the conformance runner
        // certifies, in a class loader of its own) is looked for in those jars too.
        for (ClassLoader loader = provider.getClass().getClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader jars) {
                classPath.addAll(List.of(jars.getURLs()));
            }
        }
        assumeTrue(!classPath.isEmpty(), "not verified: the kit runs without a class path it can load afresh");
        try (URLClassLoader fresh = new URLClassLoader(classPath.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> api = Class.forName(BackendProvider.class.getName(), false, fresh);
            boolean loaded = false;
            for (Object found : ServiceLoader.load(api, fresh)) {
                Method nameMethod = api.getMethod("name");
                if (name.equals(nameMethod.invoke(found))) {
                    loaded = true;
                    assertEquals(provider.getClass().getName(), found.getClass().getName(),
                            "the provider found in a fresh class loader under " + name);
                }
            }
            assertTrue(loaded, "provider \"" + name + "\" was not found by ServiceLoader in a fresh class loader over the "
                    + "same class path: its registration or a static initialiser depends on state of this class loader");
        }

        Availability first = provider.probe();
        long started = System.nanoTime();
        Availability second = provider.probe();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(first.isAvailable(), second.isAvailable(), "two probes disagree about availability");
        assertEquals(first.reason(), second.reason(), "two probes give different reasons");
        assertTrue(millis < 500, "the second probe took " + millis + " ms; probe once and remember the answer "
                + "(load native libraries once)");
    }

    private static URL toUrl(String entry) {
        try {
            return new File(entry).toURI().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("kit bug: class path entry " + entry, e);
        }
    }
}
