package org.tensorbridge.tck.report;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.tensorbridge.Backends;
import org.tensorbridge.ProviderStatus;
import org.tensorbridge.tck.KitSeed;
import org.tensorbridge.tck.DiscoveredBackendTck;
import org.tensorbridge.tck.RuleCatalog;

/**
 * Runs the kit, through the JUnit Platform Launcher, against every backend that discovery finds (or
 * those named) and builds the {@link ConformanceReport}. An unavailable backend is reported with its
 * reason and fails the run only if it is required. {@link #certify} does the same for backend jars from
 * outside the project, loaded in a child class loader.
 *
 * <p>Runs backends one after another; not thread-safe.
 */
public final class ConformanceRunner {
    /** Environment variable listing required backends, comma-separated. */
    public static final String REQUIRE_ENVIRONMENT = "TENSORBRIDGE_REQUIRE_BACKENDS";

    private final RuleCatalog catalog = RuleCatalog.bundled();
    private final PrintStream progress;
    private final Progress tests;

    /** Told how far the kit has got, for a progress display. Called from the run's thread. */
    public interface Progress {
        /** The kit starts on {@code backend}, with {@code tests} tests to run. */
        void started(String backend, long tests);

        /** One more test has finished. */
        void testFinished();

        /** The kit is done with the current backend. */
        void finished();

        /** Reports nothing. */
        Progress NONE = new Progress() {
            @Override
            public void started(String backend, long tests) {
            }

            @Override
            public void testFinished() {
            }

            @Override
            public void finished() {
            }
        };
    }

    /** @param progress where to say what is being tested */
    public ConformanceRunner(PrintStream progress) {
        this(progress, Progress.NONE);
    }

    /**
     * @param progress where to say what is being tested
     * @param tests told as each test finishes
     */
    public ConformanceRunner(PrintStream progress, Progress tests) {
        this.progress = progress;
        this.tests = tests;
    }

    /**
     * Tests {@code names} (every discovered backend if empty) and checks {@code required} are there.
     *
     * @param seed the seed of the kit's random inputs
     */
    public ConformanceReport run(Collection<String> names, Collection<String> required, long seed) {
        Set<String> wanted = lower(names);
        Set<String> requiredNames = lower(required);
        List<ProviderStatus> statuses = Backends.list();
        List<BackendReport> reports = new ArrayList<>();
        for (ProviderStatus status : statuses) {
            if (!wanted.isEmpty() && !wanted.contains(status.name())) {
                continue;
            }
            reports.add(status.isAvailable() ? test(status.name(), null, seed, null)
                    : BackendReport.unavailable(status.name(), status.availability().reason()));
        }
        List<String> missing = new ArrayList<>();
        for (String name : union(wanted, requiredNames)) {
            Optional<BackendReport> report = reports.stream().filter(r -> r.name().equals(name)).findFirst();
            if (report.isEmpty()) {
                String message = name + ": no provider of that name was found; providers seen: "
                        + statuses.stream().map(ProviderStatus::name).collect(Collectors.joining(", "));
                if (requiredNames.contains(name)) {
                    missing.add(message);
                } else {
                    reports.add(BackendReport.unavailable(name, message));
                }
            } else if (!report.get().available() && requiredNames.contains(name)) {
                missing.add(name + ": " + report.get().reason());
            }
        }
        return new ConformanceReport(seed, reports, missing);
    }

    /**
     * Certifies backends from outside the project: loads {@code classPath} (the backend's jar and the jars
     * it needs, not tensorbridge's own) in a child class loader, and tests every provider those jars
     * register in {@code META-INF/services/org.tensorbridge.BackendProvider} (or those of them named). Each
     * is required: one that is unavailable here, or a class path that registers none, fails the run.
     *
     * @param seed the seed of the kit's random inputs
     * @throws BackendClassPathException if an entry of {@code classPath} does not exist, naming it
     */
    public ConformanceReport certify(List<Path> classPath, Collection<String> names, long seed) {
        Set<String> wanted = lower(names);
        try (BackendJars jars = BackendJars.open(classPath)) {
            List<BackendJars.Found> found = jars.providers();
            progress.println("class path " + classPath + " registers " + (found.isEmpty() ? "no backend provider"
                    : found.stream().map(f -> f.name() + " (" + f.providerClass() + ")")
                            .collect(Collectors.joining(", "))));
            List<BackendReport> reports = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (BackendJars.Found provider : found) {
                if (!wanted.isEmpty() && !wanted.contains(provider.name())) {
                    continue;
                }
                if (provider.availability().isAvailable()) {
                    reports.add(test(provider.name(), provider.providerClass(), seed, jars.loader()));
                } else {
                    reports.add(BackendReport.unavailable(provider.name(), provider.availability().reason()));
                    missing.add(provider.name() + ": " + provider.availability().reason());
                }
            }
            for (String name : wanted) {
                if (found.stream().noneMatch(f -> f.name().equals(name))) {
                    missing.add(name + ": no provider of that name is registered by " + classPath);
                }
            }
            if (found.isEmpty()) {
                missing.add("no BackendProvider is registered by " + classPath + "; a backend jar lists its provider "
                        + "class in META-INF/services/org.tensorbridge.BackendProvider");
            }
            return new ConformanceReport(seed, reports, missing);
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the class loader of " + classPath, e);
        }
    }

    /** Runs the kit on provider {@code name} (of class {@code providerClass}, if given) found through {@code loader}. */
    private BackendReport test(String name, String providerClass, long seed, ClassLoader loader) {
        progress.println("testing backend " + name + " (" + catalog.all().size() + " rules, seed " + seed + ") ...");
        String previousSeed = System.getProperty(KitSeed.PROPERTY);
        System.setProperty(KitSeed.PROPERTY, Long.toString(seed));
        Thread thread = Thread.currentThread();
        ClassLoader previousLoader = thread.getContextClassLoader();
        if (loader != null) {
            // DiscoveredBackendTck finds its provider through the context class loader's ServiceLoader.
            thread.setContextClassLoader(loader);
        }
        try {
            LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(DiscoveredBackendTck.class))
                    .configurationParameter(DiscoveredBackendTck.BACKEND_PARAMETER, name);
            if (providerClass != null) {
                builder.configurationParameter(DiscoveredBackendTck.PROVIDER_CLASS_PARAMETER, providerClass);
            }
            LauncherDiscoveryRequest request = builder.build();
            Launcher launcher = LauncherFactory.create();
            RuleVerdictCollector collector = new RuleVerdictCollector();
            TestPlan plan = launcher.discover(request);
            tests.started(name, plan.countTestIdentifiers(TestIdentifier::isTest));
            try {
                launcher.execute(plan, collector, new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        if (test.isTest()) {
                            tests.testFinished();
                        }
                    }
                });
            } finally {
                tests.finished();
            }
            return new BackendReport(name, true, null, collector.device(), collector.verdicts(catalog),
                    collector.smokeFailure());
        } finally {
            thread.setContextClassLoader(previousLoader);
            if (previousSeed == null) {
                System.clearProperty(KitSeed.PROPERTY);
            } else {
                System.setProperty(KitSeed.PROPERTY, previousSeed);
            }
        }
    }

    private static Set<String> lower(Collection<String> names) {
        return names.stream().map(String::trim).filter(n -> !n.isEmpty()).map(n -> n.toLowerCase(Locale.ROOT))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** Required backend names from {@value #REQUIRE_ENVIRONMENT}, or none. */
    public static List<String> requiredFromEnvironment() {
        String value = System.getenv(REQUIRE_ENVIRONMENT);
        return value == null ? List.of() : List.of(value.split(","));
    }
}
