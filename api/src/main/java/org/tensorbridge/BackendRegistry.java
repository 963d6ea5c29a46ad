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
 * Providers found by one {@link ServiceLoader} pass, each probed once and isolated from the
 * others' failures, and the backends created from them. Thread-safe.
 */
final class BackendRegistry {
    static final String PROPERTY = "tensorbridge.backend";
    static final String ENVIRONMENT = "TENSORBRIDGE_BACKEND";
    private static final Pattern CLASS_NAME =
            Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

    private final List<ProviderStatus> statuses;
    private final Map<String, BackendProvider> usable;
    private final Map<String, Backend> created = new ConcurrentHashMap<>();

    private BackendRegistry(List<ProviderStatus> statuses, Map<String, BackendProvider> usable) {
        this.statuses = List.copyOf(statuses);
        this.usable = Map.copyOf(usable);
    }

    static BackendRegistry load(ClassLoader loader) {
        List<ProviderStatus> statuses = new ArrayList<>();
        Map<String, BackendProvider> usable = new ConcurrentHashMap<>();
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
                statuses.add(new ProviderStatus(providerNameFrom(e), providerNameFrom(e), Integer.MIN_VALUE,
                        Availability.unavailable("could not be loaded: " + e), e));
                continue;
            }
            statuses.add(probe(provider, usable));
        }
        statuses.sort(Comparator.comparingInt(ProviderStatus::priority).reversed());
        return new BackendRegistry(statuses, usable);
    }

    private static ProviderStatus probe(BackendProvider provider, Map<String, BackendProvider> usable) {
        String className = provider.getClass().getName();
        String name = className;
        int priority = Integer.MIN_VALUE;
        try {
            name = provider.name().toLowerCase(Locale.ROOT);
            priority = provider.priority();
            Availability availability = provider.probe();
            if (availability == null) {
                availability = Availability.unavailable("its probe() returned null; the provider is broken");
            } else if (availability.isAvailable()) {
                if (usable.putIfAbsent(name, provider) != null) {
                    availability = Availability.unavailable("another provider already registered the name '" + name
                            + "'; remove one of the two jars");
                }
            }
            return new ProviderStatus(name, className, priority, availability, null);
        } catch (RuntimeException | LinkageError e) {
            return new ProviderStatus(name, className, priority,
                    Availability.unavailable("it threw during discovery (name, priority or probe): " + e), e);
        }
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

    List<ProviderStatus> statuses() {
        return statuses;
    }

    Backend byName(String requested) {
        if (requested == null || requested.isBlank()) {
            throw new IllegalArgumentException("name is " + (requested == null ? "null" : "blank")
                    + "; give a backend name such as " + knownNames());
        }
        String name = requested.trim().toLowerCase(Locale.ROOT);
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
        for (ProviderStatus status : statuses) {
            if (status.isAvailable()) {
                return byName(status.name());
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
        return statuses.stream().map(ProviderStatus::name).collect(Collectors.joining(", ", "[", "]"));
    }

    private String describeAll() {
        if (statuses.isEmpty()) {
            return "No provider of org.tensorbridge.BackendProvider was found on the class path or module path.";
        }
        return "Providers seen: " + statuses.stream().map(ProviderStatus::toString).collect(Collectors.joining("; ")) + ".";
    }
}
