package org.tensorbridge.tck;

/**
 * The seed every random input of the kit derives from: the system property {@value #PROPERTY}, or
 * {@value #DEFAULT}. Printed at the start of a kit run and in every failure, so a failure can be
 * replayed. Stateless and thread-safe.
 */
public final class KitSeed {
    /** System property that sets the seed. */
    public static final String PROPERTY = "tensorbridge.tck.seed";
    /** The seed used when none is set. */
    public static final long DEFAULT = 20261126L;

    private KitSeed() {
    }

    /** The seed in force: the property's value, or the default. */
    public static long current() {
        return Long.getLong(PROPERTY, DEFAULT);
    }
}
