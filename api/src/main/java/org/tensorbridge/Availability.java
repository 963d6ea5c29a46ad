package org.tensorbridge;

import java.util.Objects;

/**
 * The answer of a {@link BackendProvider#probe()}: available, or unavailable with a reason that
 * says what is missing and how to get it.
 *
 * <p>Immutable and thread-safe.
 */
public final class Availability {
    private static final Availability AVAILABLE = new Availability(true, "available");

    private final boolean available;
    private final String reason;

    private Availability(boolean available, String reason) {
        this.available = available;
        this.reason = reason;
    }

    /** The backend can be used. */
    public static Availability available() {
        return AVAILABLE;
    }

    /**
     * The backend cannot be used here.
     *
     * @param reason what is missing and what installs it, for example the packages to add
     */
    public static Availability unavailable(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("reason is blank; say what is missing and how to install it");
        }
        return new Availability(false, reason);
    }

    /** True if the backend can be used. */
    public boolean isAvailable() {
        return available;
    }

    /** Why the backend cannot be used, or {@code "available"}. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return available ? "available" : "unavailable: " + reason;
    }
}
