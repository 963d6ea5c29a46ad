package org.tensorbridge.tck;

import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;
import org.tensorbridge.memory.MemoryLedger;

/**
 * Fails a test class that leaves memory of any backend built on the spi open: tensors, host arrays,
 * sparse tensors and values, graph constants, and memory wrapped from Arrow or a file mapping all
 * count in a {@link MemoryLedger}. Before the class it notes every ledger's live blocks and leak
 * reports; after it, any growth fails the class, naming the ledger and the counts.
 *
 * <p>Register it on a class with {@code @ExtendWith}, or for a whole test suite through JUnit's
 * extension auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true} in
 * {@code junit-platform.properties}; the kit's jar lists it in {@code META-INF/services}). Test classes
 * must not run in parallel within one JVM for the counts to be attributable.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheckExtension.class);

    private record Snapshot(long liveBlocks, long liveBytes, int leaks) {
        static Snapshot of(MemoryLedger ledger) {
            return new Snapshot(ledger.liveBlocks(), ledger.liveBytes(), ledger.leaks().size());
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Map<MemoryLedger, Snapshot> before = new IdentityHashMap<>();
        for (MemoryLedger ledger : MemoryLedger.all()) {
            before.put(ledger, Snapshot.of(ledger));
        }
        context.getStore(NAMESPACE).put(context.getUniqueId(), before);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) {
        Map<MemoryLedger, Snapshot> before = (Map<MemoryLedger, Snapshot>) context.getStore(NAMESPACE)
                .remove(context.getUniqueId());
        StringBuilder leaks = new StringBuilder();
        for (MemoryLedger ledger : MemoryLedger.all()) {
            Snapshot start = before == null ? null : before.get(ledger);
            Snapshot end = Snapshot.of(ledger);
            long blocks = end.liveBlocks() - (start == null ? 0 : start.liveBlocks());
            int reported = end.leaks() - (start == null ? 0 : start.leaks());
            if (blocks > 0 || reported > 0) {
                leaks.append("\n  ").append(ledger.owner()).append(": ").append(blocks).append(" more live blocks (")
                        .append(end.liveBytes() - (start == null ? 0 : start.liveBytes())).append(" bytes)");
                if (reported > 0) {
                    leaks.append(", ").append(reported).append(" collected unclosed: ")
                            .append(ledger.leaks().subList(end.leaks() - reported, end.leaks()));
                }
            }
        }
        if (leaks.length() > 0) {
            throw new AssertionFailedError(context.getDisplayName() + " left memory open — close every tensor, host "
                    + "array, sparse value and graph it creates (try-with-resources):" + leaks);
        }
    }
}
