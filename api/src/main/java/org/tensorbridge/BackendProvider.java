package org.tensorbridge;

/**
 * The service a backend registers, in {@code META-INF/services/org.tensorbridge.BackendProvider}
 * and, for modular backends, with {@code provides} in {@code module-info}. {@link Backends} finds
 * providers with {@link java.util.ServiceLoader}.
 *
 * <p>A provider must be cheap to construct: loading native code belongs in {@link #probe()} or
 * {@link #create()}. A probe that throws, a {@link LinkageError} included, is isolated and reported
 * by {@link Backends#list()}; it never stops other backends from loading.
 *
 * <p>Implementations must be thread-safe; {@link Backends} calls {@code probe} and {@code create}
 * at most once each.
 */
public interface BackendProvider {
    /** Stable lower-case name used for selection, for example {@code cpu} or {@code gpu}. */
    String name();

    /** Among available backends, the one with the highest priority is the default. */
    int priority();

    /** Whether this backend can run here, and if not, why and what would fix it. */
    Availability probe();

    /** The backend; called only after an available probe. */
    Backend create();
}
