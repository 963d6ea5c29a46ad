package org.tensorbridge.tck;

import java.util.ServiceLoader;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tensorbridge.BackendProvider;

/**
 * The kit run against a discovered backend chosen by name: the JUnit configuration parameter
 * {@value #BACKEND_PARAMETER} (what the conformance runner sets), or the system property of the same
 * name. Used by {@link org.tensorbridge.tck.report.ConformanceRunner}; backend authors extend
 * {@link BackendTck} directly instead.
 */
@ExtendWith(DiscoveredBackendTck.Selection.class)
public class DiscoveredBackendTck extends BackendTck {
    /** Names the provider to test. */
    public static final String BACKEND_PARAMETER = "tensorbridge.tck.backend";

    private String backendName;

    @Override
    protected BackendProvider provider() {
        String name = backendName != null ? backendName : System.getProperty(BACKEND_PARAMETER);
        if (name == null || name.isBlank()) {
            throw new IllegalStateException("no backend named: set the configuration parameter " + BACKEND_PARAMETER);
        }
        for (BackendProvider provider : ServiceLoader.load(BackendProvider.class)) {
            if (provider.name().equalsIgnoreCase(name)) {
                return provider;
            }
        }
        throw new IllegalStateException(BACKEND_PARAMETER + " names '" + name + "', which no BackendProvider on the "
                + "class path registers");
    }

    /** Hands the configuration parameter to the test instance before the backend starts. */
    static final class Selection implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            context.getTestInstance()
                    .filter(DiscoveredBackendTck.class::isInstance)
                    .ifPresent(kit -> ((DiscoveredBackendTck) kit).backendName =
                            context.getConfigurationParameter(BACKEND_PARAMETER).orElse(null));
        }
    }
}
