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
    /**
     * Optionally names the provider's class too, for a provider from a backend jar whose name another
     * provider on the class path also uses.
     */
    public static final String PROVIDER_CLASS_PARAMETER = "tensorbridge.tck.provider-class";

    private String backendName;
    private String providerClass;

    @Override
    protected BackendProvider provider() {
        String name = backendName != null ? backendName : System.getProperty(BACKEND_PARAMETER);
        if (name == null || name.isBlank()) {
            throw new IllegalStateException("no backend named: set the configuration parameter " + BACKEND_PARAMETER);
        }
        // The context class loader: the runner sets it to the backend jars' loader when it certifies them.
        for (ServiceLoader.Provider<BackendProvider> candidate : ServiceLoader.load(BackendProvider.class).stream()
                .toList()) {
            if (providerClass != null && !candidate.type().getName().equals(providerClass)) {
                continue;
            }
            BackendProvider provider = candidate.get();
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
                    .map(DiscoveredBackendTck.class::cast)
                    .ifPresent(kit -> {
                        kit.backendName = context.getConfigurationParameter(BACKEND_PARAMETER).orElse(null);
                        kit.providerClass = context.getConfigurationParameter(PROVIDER_CLASS_PARAMETER).orElse(null);
                    });
        }
    }
}
