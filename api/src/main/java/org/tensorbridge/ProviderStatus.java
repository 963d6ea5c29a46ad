package org.tensorbridge;

import java.util.Objects;
import java.util.Optional;

/**
 * One provider that discovery saw, with its availability: what {@link Backends#list()} returns, so
 * that "why is my backend not used" has an answer.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProviderStatus {
    private final String name;
    private final String providerClass;
    private final int priority;
    private final Availability availability;
    private final Throwable failure;

    ProviderStatus(String name, String providerClass, int priority, Availability availability, Throwable failure) {
        this.name = Objects.requireNonNull(name, "name");
        this.providerClass = Objects.requireNonNull(providerClass, "providerClass");
        this.priority = priority;
        this.availability = Objects.requireNonNull(availability, "availability");
        this.failure = failure;
    }

    /** The provider's name, or its class name if it could not even be asked. */
    public String name() {
        return name;
    }

    /** The provider's class name as registered. */
    public String providerClass() {
        return providerClass;
    }

    /** The provider's priority; {@link Integer#MIN_VALUE} if it could not be asked. */
    public int priority() {
        return priority;
    }

    /** Whether it can be used, and why not. */
    public Availability availability() {
        return availability;
    }

    /** True if it can be used. */
    public boolean isAvailable() {
        return availability.isAvailable();
    }

    /** The exception or error its loading or probe threw, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** {@code cpu (priority 100): available}. */
    @Override
    public String toString() {
        return name + " (priority " + (priority == Integer.MIN_VALUE ? "?" : priority) + "): " + availability;
    }
}
