package org.tensorbridge.tck.report;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintStream;
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
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.ProviderStatus;
import org.tensorbridge.tck.KitSeed;
import org.tensorbridge.tck.DiscoveredBackendTck;
import org.tensorbridge.tck.RuleCatalog;

/**
 * Runs the kit, through the JUnit Platform Launcher, against every backend that discovery finds (or
 * those named) and builds the {@link ConformanceReport}. An unavailable backend is reported with its
 * reason and fails the run only if it is required.
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
            reports.add(status.isAvailable() ? test(status.name(), seed)
                    : new BackendReport(status.name(), false, status.availability().reason(), null, List.of()));
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
                    reports.add(new BackendReport(name, false, message, null, List.of()));
                }
            } else if (!report.get().available() && requiredNames.contains(name)) {
                missing.add(name + ": " + report.get().reason());
            }
        }
        return new ConformanceReport(seed, reports, missing);
    }

    private BackendReport test(String name, long seed) {
        Backend backend = Backends.get(name);
        progress.println("testing backend " + name + " on " + backend.device() + " (" + catalog.all().size()
                + " rules, seed " + seed + ") ...");
        String previousSeed = System.getProperty(KitSeed.PROPERTY);
        System.setProperty(KitSeed.PROPERTY, Long.toString(seed));
        try {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(DiscoveredBackendTck.class))
                    .configurationParameter(DiscoveredBackendTck.BACKEND_PARAMETER, name)
                    .build();
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
            return new BackendReport(name, true, null, backend.device().toString(), collector.verdicts(catalog));
        } finally {
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
