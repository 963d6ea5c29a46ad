package org.tensorbridge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Providers found by one {@link ServiceLoader} pass and the backends created from them. Each provider is
 * probed at most once, isolated from the others' failures, and only when needed: asking for a backend by
 * name probes the providers of that name, the default probes in priority order until one is available, and
 * the full listing probes all. So an application that asks for {@code cpu} does not load OpenCL or
 * TensorFlow natives that another provider on the class path would probe. Thread-safe.
 */
final class BackendRegistry {
    static final String PROPERTY = "tensorbridge.backend";
    static final String ENVIRONMENT = "TENSORBRIDGE_BACKEND";
    private static final Pattern CLASS_NAME =
            Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

    /** In discovery order: among providers of one name, the first available one wins. */
    private final List<Candidate> discovered;
    /** Highest priority first, discovery order among equals: the listing's and the default's order. */
    private final List<Candidate> byPriority;
    /** Guards every probe and {@link #usable}: a name's providers are probed together, once. */
    private final Object probing = new Object();
    private final Map<String, BackendProvider> usable = new ConcurrentHashMap<>();
    private final Map<String, Backend> created = new ConcurrentHashMap<>();

    private BackendRegistry(List<Candidate> discovered) {
        this.discovered = List.copyOf(discovered);
        List<Candidate> sorted = new ArrayList<>(discovered);
        sorted.sort(Comparator.comparingInt((Candidate c) -> c.priority).reversed());
        this.byPriority = List.copyOf(sorted);
    }

    /**
     * A provider the loader pass found, with its name and priority (cheap, by the provider's contract), or
     * the status of one that failed before it could be asked. Its probe runs later, under the registry's lock.
     */
    private static final class Candidate {
        final BackendProvider provider;
        final String name;
        final String className;
        final int priority;
        /** Set at discovery for a failed provider; else by its probe. Read and written under the lock. */
        private ProviderStatus status;

        private Candidate(BackendProvider provider, String name, String className, int priority,
                ProviderStatus status) {
            this.provider = provider;
            this.name = name;
            this.className = className;
            this.priority = priority;
            this.status = status;
        }

        static Candidate failed(ProviderStatus status) {
            return new Candidate(null, status.name(), status.providerClass(), status.priority(), status);
        }

        static Candidate of(BackendProvider provider) {
            String className = provider.getClass().getName();
            String name = className;
            int priority = Integer.MIN_VALUE;
            try {
                name = provider.name().toLowerCase(Locale.ROOT);
                priority = provider.priority();
                return new Candidate(provider, name, className, priority, null);
            } catch (RuntimeException | LinkageError e) {
                return failed(threw(name, className, priority, e));
            }
        }
    }

    static BackendRegistry load(ClassLoader loader) {
        List<Candidate> found = new ArrayList<>();
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, loader).iterator();
        while (true) {
            BackendProvider provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                // The provider class is missing or its initialisation failed; the loader moves on.
                found.add(Candidate.failed(new ProviderStatus(providerNameFrom(e), providerNameFrom(e),
                        Integer.MIN_VALUE, Availability.unavailable("could not be loaded: " + e), e)));
                continue;
            }
            found.add(Candidate.of(provider));
        }
        return new BackendRegistry(found);
    }

    /** The status of {@code candidate}, probing it (with every provider of its name) if not yet done. */
    private ProviderStatus status(Candidate candidate) {
        synchronized (probing) {
            if (candidate.status == null) {
                probeAll(candidate.name);
            }
            return candidate.status;
        }
    }

    /** Probes, in discovery order, every provider named {@code name} that is not probed yet. */
    private void probeAll(String name) {
        synchronized (probing) {
            for (Candidate candidate : discovered) {
                if (candidate.status == null && candidate.name.equals(name)) {
                    candidate.status = probe(candidate);
                }
            }
        }
    }

    private ProviderStatus probe(Candidate candidate) {
        try {
            Availability availability = candidate.provider.probe();
            if (availability == null) {
                availability = Availability.unavailable("its probe() returned null; the provider is broken");
            } else if (availability.isAvailable() && usable.putIfAbsent(candidate.name, candidate.provider) != null) {
                availability = Availability.unavailable("another provider already registered the name '"
                        + candidate.name + "'; remove one of the two jars");
            }
            return new ProviderStatus(candidate.name, candidate.className, candidate.priority, availability, null);
        } catch (RuntimeException | LinkageError e) {
            return threw(candidate.name, candidate.className, candidate.priority, e);
        }
    }

    /** The status of a provider whose name, priority or probe threw. */
    private static ProviderStatus threw(String name, String className, int priority, Throwable e) {
        return new ProviderStatus(name, className, priority,
                Availability.unavailable("it threw during discovery (name, priority or probe): " + e), e);
    }

    private static String providerNameFrom(Throwable e) {
        String message = String.valueOf(e.getMessage());
        // ServiceLoader's messages read "org.tensorbridge.BackendProvider: Provider a.b.C not found",
        // "org.tensorbridge.BackendProvider: a.b.C not a subtype" and the like. Search only after the
        // service's own name: a provider class named "...Provider" must not be read as the marker.
        String prefix = BackendProvider.class.getName() + ": ";
        if (message.startsWith(prefix)) {
            String rest = message.substring(prefix.length());
            if (rest.startsWith("Provider ")) {
                rest = rest.substring("Provider ".length());
            }
            int end = rest.indexOf(' ');
            String candidate = end > 0 ? rest.substring(0, end) : rest;
            if (CLASS_NAME.matcher(candidate).matches()) {
                return candidate;
            }
        }
        return "<unknown provider>";
    }

    /** Every provider's status, highest priority first; probes those not probed yet. */
    List<ProviderStatus> statuses() {
        List<ProviderStatus> statuses = new ArrayList<>(byPriority.size());
        for (Candidate candidate : byPriority) {
            statuses.add(status(candidate));
        }
        return List.copyOf(statuses);
    }

    Backend byName(String requested) {
        if (requested == null || requested.isBlank()) {
            throw new IllegalArgumentException("name is " + (requested == null ? "null" : "blank")
                    + "; give a backend name such as " + knownNames());
        }
        String name = requested.trim().toLowerCase(Locale.ROOT);
        probeAll(name);
        BackendProvider provider = usable.get(name);
        if (provider == null) {
            throw new BackendUnavailableException("name '" + requested + "' is not an available backend. "
                    + describeAll() + " Pick one of the available names, or install the missing packages.");
        }
        Backend backend = created.get(name);
        if (backend != null) {
            return backend;
        }
        // Created under the provider's own lock, not inside the map: a backend whose create() looks up
        // another backend must not deadlock or hit a recursive map update, and a failed create() is
        // tried again on the next call (a busy device may free up).
        synchronized (provider) {
            backend = created.get(name);
            if (backend == null) {
                backend = create(name, provider);
                created.put(name, backend);
            }
            return backend;
        }
    }

    private static Backend create(String name, BackendProvider provider) {
        try {
            Backend backend = provider.create();
            if (backend == null) {
                throw new IllegalStateException("provider " + provider.getClass().getName() + " returned null from create()");
            }
            return backend;
        } catch (RuntimeException | LinkageError e) {
            throw new BackendUnavailableException("backend '" + name + "' probed as available but create() failed: " + e
                    + ". Run the diagnostics listing (./tensorbridge backends) to see its status.", e);
        }
    }

    Backend byDefault(Function<String, String> environment) {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return byConfiguredName(property, "system property " + PROPERTY);
        }
        String env = environment.apply(ENVIRONMENT);
        if (env != null && !env.isBlank()) {
            return byConfiguredName(env, "environment variable " + ENVIRONMENT);
        }
        for (Candidate candidate : byPriority) {
            if (status(candidate).isAvailable()) {
                return byName(candidate.name);
            }
        }
        throw new BackendUnavailableException("no backend is available. " + describeAll()
                + " Add a backend jar (tensorbridge-backend-cpu) to the class path, or fix the reasons above.");
    }

    private Backend byConfiguredName(String name, String source) {
        try {
            return byName(name);
        } catch (BackendUnavailableException e) {
            throw new BackendUnavailableException(source + " selects '" + name + "': " + e.getMessage()
                    + " Or unset " + source + " to take the available backend with the highest priority.", e);
        }
    }

    private String knownNames() {
        return byPriority.stream().map(c -> c.name).collect(Collectors.joining(", ", "[", "]"));
    }

    private String describeAll() {
        List<ProviderStatus> statuses = statuses();
        if (statuses.isEmpty()) {
            return "No provider of org.tensorbridge.BackendProvider was found on the class path or module path.";
        }
        return "Providers seen: " + statuses.stream().map(ProviderStatus::toString).collect(Collectors.joining("; ")) + ".";
    }
}
