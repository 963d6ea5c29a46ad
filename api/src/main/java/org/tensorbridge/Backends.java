package org.tensorbridge;

import java.util.List;

/**
 * Discovery of backends through {@link java.util.ServiceLoader}: the entry point of an application.
 *
 * <p>{@link #get()} picks, in order: the backend named by the system property
 * {@code tensorbridge.backend}, the one named by the environment variable
 * {@code TENSORBRIDGE_BACKEND}, or the available backend with the highest priority. A named
 * backend that is not available is an error, never a silent fallback.
 *
 * <p>Providers are found once, on first use, with the thread context class loader of that first call
 * (or this class's loader), and each is probed at most once, when first needed: {@link #get(String)}
 * probes only the providers of that name, {@link #get()} probes in priority order until one is
 * available, {@link #list()} probes every one. A provider that fails to load or whose probe throws is
 * isolated and listed by {@link #list()} with the reason. Each backend is created once and shared;
 * backends are thread-safe. This class is thread-safe.
 */
public final class Backends {
    private Backends() {
    }

    private static final class Holder {
        static final BackendRegistry REGISTRY = BackendRegistry.load(loader());

        private static ClassLoader loader() {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            return context != null ? context : Backends.class.getClassLoader();
        }
    }

    /**
     * The default backend, as described above.
     *
     * @throws BackendUnavailableException listing every provider seen and why each was refused
     */
    public static Backend get() {
        return Holder.REGISTRY.byDefault(System::getenv);
    }

    /**
     * The backend with this name (case-insensitive), for example {@code cpu} or {@code gpu}.
     *
     * @throws BackendUnavailableException if no available provider has that name; the message lists
     *     what was found and why each was refused
     */
    public static Backend get(String name) {
        return Holder.REGISTRY.byName(name);
    }

    /** Every provider seen, available or not, highest priority first, each with its reason. */
    public static List<ProviderStatus> list() {
        return Holder.REGISTRY.statuses();
    }
}
