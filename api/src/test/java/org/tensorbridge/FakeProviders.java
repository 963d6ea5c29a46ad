package org.tensorbridge;

/**
 * Backend providers for {@link BackendRegistryTest}, good and broken. They are listed only in a
 * services file that the test writes for its own class loader, which also defines these classes
 * (so they use public API only, and no private members: nestmate access would cross loaders).
 */
public final class FakeProviders {
    FakeProviders() {
    }

    /** Available, priority 10. */
    public static final class Alpha implements BackendProvider {
        @Override
        public String name() {
            return "alpha";
        }

        @Override
        public int priority() {
            return 10;
        }

        @Override
        public Availability probe() {
            return Availability.available();
        }

        @Override
        public Backend create() {
            return new FakeBackend("alpha");
        }
    }

    /**
     * Available, priority 5; counts its probes in a system property, which both class loaders see, so a test can
     * tell whether it was probed.
     */
    public static final class ProbeCounter implements BackendProvider {
        /** The system property holding the number of probes so far. */
        public static final String PROBES = "tensorbridge.test.probeCounter.probes";

        @Override
        public String name() {
            return "counted";
        }

        @Override
        public int priority() {
            return 5;
        }

        @Override
        public Availability probe() {
            System.setProperty(PROBES, Integer.toString(Integer.getInteger(PROBES, 0) + 1));
            return Availability.available();
        }

        @Override
        public Backend create() {
            return new FakeBackend("counted");
        }
    }

    /** Available, priority 50; its name is given in mixed case. */
    public static final class Beta implements BackendProvider {
        @Override
        public String name() {
            return "Beta";
        }

        @Override
        public int priority() {
            return 50;
        }

        @Override
        public Availability probe() {
            return Availability.available();
        }

        @Override
        public Backend create() {
            return new FakeBackend("beta");
        }
    }

    /** Its probe throws a RuntimeException; the highest priority of all. */
    public static final class ProbeThrows implements BackendProvider {
        @Override
        public String name() {
            return "throwing";
        }

        @Override
        public int priority() {
            return 1000;
        }

        @Override
        public Availability probe() {
            throw new IllegalStateException("probe exploded");
        }

        @Override
        public Backend create() {
            throw new AssertionError("create() called after a failed probe");
        }
    }

    /** Its probe throws a LinkageError, as a missing native library does. */
    public static final class ProbeLinkageError implements BackendProvider {
        @Override
        public String name() {
            return "native";
        }

        @Override
        public int priority() {
            return 900;
        }

        @Override
        public Availability probe() {
            throw new UnsatisfiedLinkError("no OpenCL in java.library.path");
        }

        @Override
        public Backend create() {
            throw new AssertionError("create() called after a failed probe");
        }
    }

    /** Reports itself unavailable, with a reason. */
    public static final class Unavailable implements BackendProvider {
        @Override
        public String name() {
            return "gpu";
        }

        @Override
        public int priority() {
            return 800;
        }

        @Override
        public Availability probe() {
            return Availability.unavailable("no OpenCL platform; install pocl-opencl-icd");
        }

        @Override
        public Backend create() {
            throw new AssertionError("create() called after an unavailable probe");
        }
    }

    /** Its probe returns null. */
    public static final class ProbeReturnsNull implements BackendProvider {
        @Override
        public String name() {
            return "nullprobe";
        }

        @Override
        public int priority() {
            return 700;
        }

        @Override
        public Availability probe() {
            return null;
        }

        @Override
        public Backend create() {
            throw new AssertionError("create() called after a null probe");
        }
    }

    /** Probes as available but its create() throws. */
    public static final class CreateThrows implements BackendProvider {
        @Override
        public String name() {
            return "fragile";
        }

        @Override
        public int priority() {
            return 5;
        }

        @Override
        public Availability probe() {
            return Availability.available();
        }

        @Override
        public Backend create() {
            throw new IllegalStateException("device lost");
        }
    }

    /** Probes as available but its create() returns null. */
    public static final class CreateReturnsNull implements BackendProvider {
        @Override
        public String name() {
            return "hollow";
        }

        @Override
        public int priority() {
            return 5;
        }

        @Override
        public Availability probe() {
            return Availability.available();
        }

        @Override
        public Backend create() {
            return null;
        }
    }

    /** Cannot even be constructed. */
    public static final class ConstructorThrows implements BackendProvider {
        public ConstructorThrows() {
            throw new IllegalStateException("constructor exploded");
        }

        @Override
        public String name() {
            return "unconstructible";
        }

        @Override
        public int priority() {
            return 5;
        }

        @Override
        public Availability probe() {
            return Availability.available();
        }

        @Override
        public Backend create() {
            return new FakeBackend("unconstructible");
        }
    }

    /** A second provider that registers the name {@code alpha}, in another case. */
    public static final class AlphaAgain implements BackendProvider {
        @Override
        public String name() {
            return "ALPHA";
        }

        @Override
        public int priority() {
            return 20;
        }

        @Override
        public Availability probe() {
            return Availability.available();
        }

        @Override
        public Backend create() {
            return new FakeBackend("alpha again");
        }
    }

    /** Listed as a provider but does not implement {@link BackendProvider}. */
    public static final class NotAProvider {
    }

    /** Not public, so ServiceLoader cannot construct it. */
    static final class NotPublic implements BackendProvider {
        @Override
        public String name() {
            return "notpublic";
        }

        @Override
        public int priority() {
            return 5;
        }

        @Override
        public Availability probe() {
            return Availability.available();
        }

        @Override
        public Backend create() {
            return new FakeBackend("notpublic");
        }
    }
}
