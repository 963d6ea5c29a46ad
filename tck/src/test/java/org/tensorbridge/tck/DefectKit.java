package org.tensorbridge.tck;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;

/**
 * The kit run against one deliberately broken backend of {@link CatchMatrixTest}, chosen by the JUnit
 * configuration parameter {@value #PARAMETER}. Not run on its own: its name does not end in "Test".
 */
@ExtendWith(DefectKit.Selection.class)
class DefectKit extends BackendTck {
    /** Names the defect to run. */
    static final String PARAMETER = "tensorbridge.tck.defect";

    private Supplier<BackendProvider> provider;

    @Override
    protected BackendProvider provider() {
        return provider.get();
    }

    /**
     * The registered provider of the defect under test (so that only the discovery defects fail the
     * discovery rule): always called {@code defect}, it creates the chosen defect's backend.
     */
    public static final class Registered implements BackendProvider {
        static volatile Supplier<Backend> current;

        @Override
        public String name() {
            return "defect";
        }

        @Override
        public int priority() {
            return -1000;
        }

        @Override
        public Availability probe() {
            return current != null ? Availability.available()
                    : Availability.unavailable("no deliberately broken backend is chosen (CatchMatrixTest chooses one)");
        }

        @Override
        public Backend create() {
            if (current == null) {
                throw new IllegalStateException("no deliberately broken backend is chosen");
            }
            return current.get();
        }
    }

    /** Hands the chosen defect's provider to the test instance before the backend starts. */
    static final class Selection implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            String name = context.getConfigurationParameter(PARAMETER)
                    .orElseThrow(() -> new IllegalStateException("kit bug: no " + PARAMETER));
            ((DefectKit) context.getRequiredTestInstance()).provider = CatchMatrixTest.defect(name).provider();
        }
    }
}
