package org.tensorbridge.tck;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;

/**
 * The conformance kit. A backend author writes one class:
 *
 * <pre>{@code
 * class MyBackendConformanceTest extends BackendTck {
 *     @Override
 *     protected BackendProvider provider() {
 *         return new MyBackendProvider();
 *     }
 * }
 * }</pre>
 *
 * and runs it with JUnit 5. Every test carries the id of a rule in {@code RULES.md}; MUST rules
 * fail, SHOULD rules not met are aborted with what to implement, and rules that depend on a declared
 * capability check that the declaration is true. If the provider's probe says the backend is
 * unavailable, every test is skipped with the probe's reason.
 *
 * <p>The {@link SmokeStage} runs first; if it fails, the rules are reported "not verified: smoke failed"
 * and the smoke failure names the step and the spi hook that broke. Test names carry the rule id
 * ({@link RuleDisplayNames}).
 *
 * <p>Random inputs derive from one seed, printed at the start and in every failure: see
 * {@link KitSeed}. One backend instance serves all tests of a class; tests run one after another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayNameGeneration(RuleDisplayNames.class)
@ExtendWith(ConformanceExtension.class)
public abstract class BackendTck implements SmokeStage, // the smoke stage first: its failure decides the rules
        ConversionRules, ReadOnlyRules, LifetimeRules, DTypeRules, ShapeRules,
        OperationRules, BadInputRules, CreationRules, IdentityRules, SparseRules, GraphRules, ElementwiseMathRules,
        StructureRules, OperationSetRules, EdgeRules,
        ResourceRules, DiscoveryRules, ConcurrencyRules {
    private Backend backend;
    private Fixtures fixtures;

    /** The provider of the backend under test. */
    protected abstract BackendProvider provider();

    @BeforeAll
    final void startBackend() {
        BackendProvider provider = provider();
        Availability availability = provider.probe();
        Assumptions.assumeTrue(availability.isAvailable(),
                () -> "backend " + provider.name() + " is unavailable here: " + availability.reason());
        backend = provider.create();
        long seed = KitSeed.current();
        fixtures = new Fixtures(backend, seed);
        System.out.println("tensorbridge TCK: backend " + backend.name() + " on " + backend.device() + ", seed " + seed
                + " (set -D" + KitSeed.PROPERTY + " to change it)");
    }

    @Override
    public final BackendProvider providerUnderTest() {
        return provider();
    }

    @Override
    public final Backend backend() {
        return backend;
    }

    @Override
    public final Fixtures fixtures() {
        return fixtures;
    }
}
