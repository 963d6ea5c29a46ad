package org.tensorbridge.graph;

import java.util.Objects;
import org.tensorbridge.Backend;
import org.tensorbridge.Graph;

/**
 * New graphs of the generic runtime over any {@link Backend}: each operation node runs the backend's
 * eager {@link Backend#apply}, so graph and eager results are the same by construction; a run computes
 * only what its fetches need and closes intermediates after their last use. Stateless.
 */
public final class Graphs {
    private Graphs() {
    }

    /** A graph on {@code backend} with the default {@link GraphSupport#NONE}. */
    public static Graph newGraph(Backend backend) {
        return newGraph(backend, GraphSupport.NONE);
    }

    /** A graph on {@code backend} that hands results over and fuses through {@code support}. */
    public static Graph newGraph(Backend backend, GraphSupport support) {
        return new RuntimeGraph(Objects.requireNonNull(backend, "backend"), Objects.requireNonNull(support, "support"));
    }
}
