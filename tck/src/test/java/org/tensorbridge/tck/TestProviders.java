package org.tensorbridge.tck;

import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;

/**
 * Providers registered in the tck's test class path, so that the conformance runner has something
 * to discover: a correct backend, a broken one, and one that is unavailable.
 */
final class TestProviders {
    private TestProviders() {
    }

    /** Base: available, priority 0. */
    abstract static class Base implements BackendProvider {
        @Override
        public int priority() {
            return 0;
        }

        @Override
        public Availability probe() {
            return Availability.available();
        }
    }

    /** The correct plain-Java backend. */
    public static final class Heap extends Base {
        @Override
        public String name() {
            return "heap";
        }

        @Override
        public Backend create() {
            return ReferenceBackendConformanceTest.named("heap");
        }
    }

    /** Copies in column-major order. */
    public static final class WrongOrder extends Base {
        @Override
        public String name() {
            return "wrong-order";
        }

        @Override
        public Backend create() {
            return BrokenBackends.wrongElementOrder();
        }
    }

    /** The first edition's operations only; registered, so it passes the discovery rule too. */
    public static final class Frozen extends Base {
        @Override
        public String name() {
            return "frozen";
        }

        @Override
        public Backend create() {
            return FrozenBackend.create();
        }
    }

    /** Breaks only a SHOULD rule (column-major strides); registered, so every MUST rule can pass. */
    public static final class ColumnMajorStrides extends Base {
        @Override
        public String name() {
            return "column-major-strides";
        }

        @Override
        public Backend create() {
            return BrokenBackends.reportsColumnMajorStrides();
        }
    }

    /** Never available. */
    public static final class Unavailable extends Base {
        @Override
        public String name() {
            return "absent";
        }

        @Override
        public Availability probe() {
            return Availability.unavailable("libabsent is not installed (apt-get install libabsent)");
        }

        @Override
        public Backend create() {
            throw new AssertionError("create() of an unavailable provider");
        }
    }
}
