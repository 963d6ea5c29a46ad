package org.tensorbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery through {@link java.util.ServiceLoader}, with a class loader that alone sees a services
 * file written by each test, so the normal test class path stays free of providers.
 */
class BackendRegistryTest {
    private static final String SERVICES = "META-INF/services/" + BackendProvider.class.getName();
    private static final String MISSING_CLASS = "org.tensorbridge.NoSuchProvider";
    private static final Function<String, String> NO_ENVIRONMENT = name -> null;

    @TempDir
    Path root;

    private final List<URLClassLoader> loaders = new ArrayList<>();
    private String savedProperty;

    @BeforeEach
    void clearSystemProperty() {
        savedProperty = System.clearProperty(BackendRegistry.PROPERTY);
    }

    @AfterEach
    void restoreSystemPropertyAndCloseLoaders() throws IOException {
        if (savedProperty == null) {
            System.clearProperty(BackendRegistry.PROPERTY);
        } else {
            System.setProperty(BackendRegistry.PROPERTY, savedProperty);
        }
        for (URLClassLoader loader : loaders) {
            loader.close();
        }
    }

    @Test
    void normalTestClassPathHasNoProviders() throws IOException {
        // Guards the isolation the other tests rely on.
        assertFalse(getClass().getClassLoader().getResources(SERVICES).hasMoreElements());
    }

    // ---- selection ----

    @Test
    void byNameFindsAnAvailableProviderCaseInsensitively() {
        BackendRegistry registry = registryOf(FakeProviders.Alpha.class, FakeProviders.Beta.class);

        assertEquals("alpha", registry.byName("alpha").name());
        assertEquals("alpha", registry.byName("ALPHA").name());
        assertEquals("beta", registry.byName("beta").name());
        assertEquals("beta", registry.byName(" Beta ").name());
    }

    @Test
    void eachBackendIsCreatedOnce() {
        BackendRegistry registry = registryOf(FakeProviders.Alpha.class);

        Backend first = registry.byName("alpha");

        assertInstanceOf(FakeBackend.class, first);
        assertSame(first, registry.byName("Alpha"));
        assertSame(first, registry.byDefault(NO_ENVIRONMENT));
    }

    @Test
    void byNameProbesOnlyTheProvidersOfThatNameAndEachOnlyOnce() {
        String probes = FakeProviders.ProbeCounter.PROBES;
        System.clearProperty(probes);
        try {
            BackendRegistry registry = registryOf(FakeProviders.Alpha.class, FakeProviders.ProbeCounter.class);

            assertEquals("alpha", registry.byName("alpha").name());
            assertNull(System.getProperty(probes), "asking for alpha probed the provider named counted");

            assertEquals(2, registry.statuses().size());
            assertEquals("1", System.getProperty(probes), "the listing probes every provider");
            assertEquals("counted", registry.byName("counted").name());
            registry.statuses();
            assertEquals("1", System.getProperty(probes), "a provider is probed once");
        } finally {
            System.clearProperty(probes);
        }
    }

    @Test
    void byDefaultProbesInPriorityOrderAndStopsAtTheFirstAvailable() {
        String probes = FakeProviders.ProbeCounter.PROBES;
        System.clearProperty(probes);
        try {
            BackendRegistry registry = registryOf(FakeProviders.ProbeCounter.class, FakeProviders.Beta.class);

            assertEquals("beta", registry.byDefault(NO_ENVIRONMENT).name());
            assertNull(System.getProperty(probes), "the default probed a provider of lower priority than beta");
        } finally {
            System.clearProperty(probes);
        }
    }

    @Test
    void byDefaultTakesTheAvailableProviderWithTheHighestPriority() {
        BackendRegistry registry = registryOf(FakeProviders.Alpha.class, FakeProviders.Beta.class);

        assertEquals("beta", registry.byDefault(NO_ENVIRONMENT).name());
    }

    @Test
    void byDefaultSkipsUnavailableProvidersOfHigherPriority() {
        BackendRegistry registry = mixedRegistry();

        assertEquals("beta", registry.byDefault(NO_ENVIRONMENT).name());
    }

    @Test
    void environmentVariableSelectsTheBackend() {
        BackendRegistry registry = registryOf(FakeProviders.Alpha.class, FakeProviders.Beta.class);
        List<String> asked = new ArrayList<>();

        Backend backend = registry.byDefault(name -> {
            asked.add(name);
            return name.equals("TENSORBRIDGE_BACKEND") ? "ALPHA" : null;
        });

        assertEquals("alpha", backend.name());
        assertEquals(List.of("TENSORBRIDGE_BACKEND"), asked);
    }

    @Test
    void blankEnvironmentVariableIsIgnored() {
        BackendRegistry registry = registryOf(FakeProviders.Alpha.class, FakeProviders.Beta.class);

        assertEquals("beta", registry.byDefault(name -> "  ").name());
    }

    @Test
    void environmentVariableNamingAnUnavailableBackendIsAnErrorNotAFallback() {
        BackendRegistry registry = mixedRegistry();

        BackendUnavailableException e = assertThrowsExactly(BackendUnavailableException.class,
                () -> registry.byDefault(name -> "gpu"));

        assertTrue(e.getMessage().contains("TENSORBRIDGE_BACKEND"), e.getMessage());
        assertTrue(e.getMessage().contains("'gpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("no OpenCL platform; install pocl-opencl-icd"), e.getMessage());
        assertInstanceOf(BackendUnavailableException.class, e.getCause());
    }

    @Test
    void systemPropertySelectsTheBackendBeforeTheEnvironment() {
        BackendRegistry registry = registryOf(FakeProviders.Alpha.class, FakeProviders.Beta.class);
        System.setProperty(BackendRegistry.PROPERTY, "alpha");

        assertEquals("alpha", registry.byDefault(name -> "beta").name());
    }

    @Test
    void systemPropertyNamingAnUnknownBackendIsAnErrorNamingTheProperty() {
        BackendRegistry registry = registryOf(FakeProviders.Alpha.class);
        System.setProperty(BackendRegistry.PROPERTY, "quantum");

        BackendUnavailableException e = assertThrowsExactly(BackendUnavailableException.class,
                () -> registry.byDefault(NO_ENVIRONMENT));

        assertTrue(e.getMessage().contains("tensorbridge.backend"), e.getMessage());
        assertTrue(e.getMessage().contains("'quantum'"), e.getMessage());
    }

    // ---- isolation and diagnostics ----

    @Test
    void everyBrokenProviderIsListedWithItsReason() {
        BackendRegistry registry = mixedRegistry();

        ProviderStatus throwing = status(registry, "throwing");
        assertFalse(throwing.isAvailable());
        assertTrue(throwing.availability().reason().contains("IllegalStateException: probe exploded"),
                throwing.availability().reason());
        assertInstanceOf(IllegalStateException.class, throwing.failure().orElseThrow());

        ProviderStatus linkage = status(registry, "native");
        assertFalse(linkage.isAvailable());
        assertTrue(linkage.availability().reason().contains("UnsatisfiedLinkError: no OpenCL in java.library.path"),
                linkage.availability().reason());
        assertInstanceOf(UnsatisfiedLinkError.class, linkage.failure().orElseThrow());

        ProviderStatus unavailable = status(registry, "gpu");
        assertFalse(unavailable.isAvailable());
        assertEquals("no OpenCL platform; install pocl-opencl-icd", unavailable.availability().reason());
        assertFalse(unavailable.failure().isPresent());
        assertEquals(FakeProviders.Unavailable.class.getName(), unavailable.providerClass());
        assertEquals(800, unavailable.priority());

        ProviderStatus missing = status(registry, MISSING_CLASS);
        assertFalse(missing.isAvailable());
        assertEquals(MISSING_CLASS, missing.providerClass());
        assertTrue(missing.availability().reason().contains("not found"), missing.availability().reason());
        assertEquals(Integer.MIN_VALUE, missing.priority());
        assertTrue(missing.failure().isPresent());
    }

    @Test
    void statusesListEveryProviderHighestPriorityFirst() {
        BackendRegistry registry = mixedRegistry();

        assertEquals(List.of("throwing", "native", "gpu", "beta", "alpha", MISSING_CLASS), names(registry));
        assertTrue(status(registry, "alpha").isAvailable());
        assertTrue(status(registry, "beta").isAvailable());
    }

    @Test
    void brokenProvidersDoNotStopTheGoodOnes() {
        BackendRegistry registry = mixedRegistry();

        assertEquals("alpha", registry.byName("alpha").name());
        assertEquals("beta", registry.byName("beta").name());
    }

    @Test
    void probeReturningNullMakesTheProviderUnavailable() {
        BackendRegistry registry = registryOf(FakeProviders.ProbeReturnsNull.class, FakeProviders.Alpha.class);

        ProviderStatus status = status(registry, "nullprobe");
        assertFalse(status.isAvailable());
        assertTrue(status.availability().reason().contains("null"), status.availability().reason());
        assertEquals("alpha", registry.byDefault(NO_ENVIRONMENT).name());
    }

    @Test
    void providerWhoseConstructorThrowsIsListedAndIsolated() {
        BackendRegistry registry = registryOf(FakeProviders.ConstructorThrows.class, FakeProviders.Alpha.class);

        ProviderStatus status = status(registry, FakeProviders.ConstructorThrows.class.getName());
        assertFalse(status.isAvailable());
        assertTrue(status.availability().reason().contains("could not be instantiated"),
                status.availability().reason());
        assertEquals("alpha", registry.byDefault(NO_ENVIRONMENT).name());
    }

    @Test
    void listedClassThatIsNotAProviderIsListedByItsClassName() {
        BackendRegistry registry = registryOf(FakeProviders.NotAProvider.class, FakeProviders.Alpha.class);

        ProviderStatus status = status(registry, FakeProviders.NotAProvider.class.getName());
        assertFalse(status.isAvailable());
        assertEquals(FakeProviders.NotAProvider.class.getName(), status.providerClass());
        assertTrue(status.availability().reason().contains("not a subtype"), status.availability().reason());
        assertEquals("alpha", registry.byDefault(NO_ENVIRONMENT).name());
    }

    @Test
    void nonPublicProviderIsListedByItsClassName() {
        BackendRegistry registry = registryOf(FakeProviders.NotPublic.class, FakeProviders.Alpha.class);

        ProviderStatus status = status(registry, FakeProviders.NotPublic.class.getName());
        assertFalse(status.isAvailable());
        assertTrue(status.availability().reason().contains("public no-arg constructor"),
                status.availability().reason());
        assertEquals("alpha", registry.byDefault(NO_ENVIRONMENT).name());
    }

    @Test
    void secondProviderOfTheSameNameIsRefusedWithAReason() {
        BackendRegistry registry = registryOf(FakeProviders.Alpha.class, FakeProviders.AlphaAgain.class);

        List<ProviderStatus> alphas = registry.statuses().stream()
                .filter(s -> s.name().equals("alpha"))
                .collect(Collectors.toList());
        assertEquals(2, alphas.size());
        assertEquals(1, alphas.stream().filter(ProviderStatus::isAvailable).count());
        ProviderStatus refused = alphas.stream().filter(s -> !s.isAvailable()).findFirst().orElseThrow();
        assertTrue(refused.availability().reason().contains("already registered the name 'alpha'"),
                refused.availability().reason());
    }

    @Test
    void byNameOfAnUnavailableBackendListsTheProvidersAndTheirReasons() {
        BackendRegistry registry = mixedRegistry();

        BackendUnavailableException e = assertThrowsExactly(BackendUnavailableException.class,
                () -> registry.byName("gpu"));

        String message = e.getMessage();
        assertTrue(message.contains("'gpu'"), message);
        assertTrue(message.contains("no OpenCL platform; install pocl-opencl-icd"), message);
        assertTrue(message.contains("probe exploded"), message);
        assertTrue(message.contains("no OpenCL in java.library.path"), message);
        assertTrue(message.contains(MISSING_CLASS), message);
        assertTrue(message.contains("alpha (priority 10): available"), message);
        assertEquals(BackendUnavailableException.CODE, e.code());
    }

    @Test
    void byNameOfAnUnknownBackendNamesItAndListsTheProviders() {
        BackendRegistry registry = registryOf(FakeProviders.Alpha.class, FakeProviders.Unavailable.class);

        BackendUnavailableException e = assertThrowsExactly(BackendUnavailableException.class,
                () -> registry.byName("Quantum"));

        assertTrue(e.getMessage().contains("'Quantum'"), e.getMessage());
        assertTrue(e.getMessage().contains("alpha"), e.getMessage());
        assertTrue(e.getMessage().contains("gpu (priority 800): unavailable: no OpenCL platform"), e.getMessage());
    }

    @Test
    void byNameOfNullOrBlankIsRejectedNamingTheArgument() {
        BackendRegistry registry = registryOf(FakeProviders.Alpha.class);

        IllegalArgumentException nullName = assertThrowsExactly(IllegalArgumentException.class,
                () -> registry.byName(null));
        assertTrue(nullName.getMessage().contains("name is null"), nullName.getMessage());
        assertTrue(nullName.getMessage().contains("alpha"), nullName.getMessage());

        IllegalArgumentException blank = assertThrowsExactly(IllegalArgumentException.class,
                () -> registry.byName(" "));
        assertTrue(blank.getMessage().contains("name is blank"), blank.getMessage());
    }

    @Test
    void createThatThrowsIsABackendUnavailableExceptionAndIsTriedAgain() {
        BackendRegistry registry = registryOf(FakeProviders.CreateThrows.class, FakeProviders.Alpha.class);

        BackendUnavailableException e = assertThrowsExactly(BackendUnavailableException.class,
                () -> registry.byName("fragile"));

        assertTrue(e.getMessage().contains("'fragile'"), e.getMessage());
        assertTrue(e.getMessage().contains("device lost"), e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        // create() is tried again on the next call (a busy device may have freed up), failing afresh here.
        BackendUnavailableException again = assertThrowsExactly(BackendUnavailableException.class,
                () -> registry.byName("fragile"));
        assertNotSame(e, again, "a failed create() must be retried, not answered from a cache");
        // and the others still work.
        assertEquals("alpha", registry.byName("alpha").name());
    }

    @Test
    void createThatReturnsNullIsABackendUnavailableException() {
        BackendRegistry registry = registryOf(FakeProviders.CreateReturnsNull.class);

        BackendUnavailableException e = assertThrowsExactly(BackendUnavailableException.class,
                () -> registry.byName("hollow"));

        assertTrue(e.getMessage().contains("'hollow'"), e.getMessage());
        assertTrue(e.getMessage().contains("returned null from create()"), e.getMessage());
    }

    @Test
    void noProvidersAtAllIsAnErrorSayingSo() {
        BackendRegistry registry = BackendRegistry.load(loaderFor(root));

        assertTrue(registry.statuses().isEmpty());
        BackendUnavailableException e = assertThrowsExactly(BackendUnavailableException.class,
                () -> registry.byDefault(NO_ENVIRONMENT));
        assertTrue(e.getMessage().contains("no backend is available"), e.getMessage());
        assertTrue(e.getMessage().contains("No provider of org.tensorbridge.BackendProvider"), e.getMessage());
    }

    @Test
    void onlyUnavailableProvidersIsAnErrorListingThem() {
        BackendRegistry registry = registryOf(FakeProviders.Unavailable.class, FakeProviders.ProbeThrows.class);

        BackendUnavailableException e = assertThrowsExactly(BackendUnavailableException.class,
                () -> registry.byDefault(NO_ENVIRONMENT));

        assertTrue(e.getMessage().contains("no backend is available"), e.getMessage());
        assertTrue(e.getMessage().contains("gpu (priority 800): unavailable"), e.getMessage());
        assertTrue(e.getMessage().contains("throwing (priority 1000): unavailable"), e.getMessage());
    }

    // ---- helpers ----

    private BackendRegistry mixedRegistry() {
        return registryOf(FakeProviders.ProbeThrows.class.getName(), FakeProviders.Alpha.class.getName(),
                FakeProviders.ProbeLinkageError.class.getName(), MISSING_CLASS,
                FakeProviders.Unavailable.class.getName(), FakeProviders.Beta.class.getName());
    }

    private BackendRegistry registryOf(Class<?>... providers) {
        return registryOf(Arrays.stream(providers).map(Class::getName).toArray(String[]::new));
    }

    /** A registry over a services file listing these class names, seen by a loader of its own. */
    private BackendRegistry registryOf(String... providerClassNames) {
        try {
            Path services = root.resolve(SERVICES);
            Files.createDirectories(services.getParent());
            Files.write(services, List.of(providerClassNames));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return BackendRegistry.load(loaderFor(root));
    }

    private ClassLoader loaderFor(Path directory) {
        try {
            ProvidersLoader loader = new ProvidersLoader(directory.toUri().toURL(), getClass().getClassLoader());
            loaders.add(loader);
            return loader;
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProviderStatus status(BackendRegistry registry, String name) {
        return registry.statuses().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no status named " + name + " in " + registry.statuses()));
    }

    private static List<String> names(BackendRegistry registry) {
        return registry.statuses().stream().map(ProviderStatus::name).collect(Collectors.toList());
    }

    /**
     * Serves the services file from its directory, and defines the {@link FakeProviders} classes
     * itself. ServiceLoader ignores a services-file entry whose class is in a named module, and when
     * the tests run on the module path the test classes are patched into {@code org.tensorbridge};
     * defined here they are in this loader's unnamed module, as a third-party jar's would be.
     */
    private static final class ProvidersLoader extends URLClassLoader {
        private static final String PREFIX = FakeProviders.class.getName() + "$";

        ProvidersLoader(URL directory, ClassLoader parent) {
            super(new URL[] {directory}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PREFIX)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    byte[] bytes = classBytes(name);
                    loaded = defineClass(name, bytes, 0, bytes.length);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        private byte[] classBytes(String name) throws ClassNotFoundException {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
