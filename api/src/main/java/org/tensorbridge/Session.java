package org.tensorbridge;

import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Graph}, as TensorFlow 1's {@code Session.run(fetches, feed_dict)}: it computes only
 * the nodes the fetches need, each once per run, and returns the fetches in the structure asked for
 * — a dense fetch as a {@link HostArray}, a sparse one as a {@link SparseValue}.
 *
 * <h2>Feeds</h2>
 * Keys are placeholders of this graph; values are a {@link HostArray}, a {@link Tensor} of the graph's
 * backend, a rectangular Java primitive array, or for sparse placeholders a {@link SparseValue} or
 * {@link SparseTensor}. A feed's dtype must equal the placeholder's, and its shape must fit (every
 * known dimension equal). Feeds are read during the run only; the caller keeps and closes them.
 *
 * <h2>Results</h2>
 * Every result is {@link Sharing#INDEPENDENT} and writable: nothing else sees its memory.
 * {@link HostArray#bytesCopied()} is 0 when the backend could hand the computed memory over whole, and
 * the bytes moved when it had to copy (device memory, or a fetch that is a constant or a feed). The
 * caller closes results.
 *
 * <h2>Errors</h2>
 * A missing feed, a feed of the wrong dtype or shape, a fetch of another graph, or a closed session or
 * graph throws an exception whose message names the node and the fix.
 *
 * <h2>Thread-safety</h2>
 * {@code run} may be called from several threads at once; each run computes independently.
 * {@link #asDefault()} sets this session as the default of the calling thread only.
 */
public interface Session extends AutoCloseable {
    /** The graph this session runs. */
    Graph graph();

    /** Computes one dense fetch. */
    default HostArray run(Symbol fetch) {
        return run(fetch, Map.of());
    }

    /** Computes one dense fetch with feeds. */
    HostArray run(Symbol fetch, Map<? extends Node, ?> feeds);

    /** {@link #runTensor(Symbol, Map)} without feeds. */
    default Tensor runTensor(Symbol fetch) {
        return runTensor(fetch, Map.of());
    }

    /**
     * Computes one dense fetch and leaves it in the memory of the graph's backend — on the device,
     * for a GPU backend — as a {@link Tensor} the caller owns and must close. Use it to feed a graph's
     * result to further operations without a round trip through the host. A value the run computed
     * is handed over without a copy; a fetch that is itself a feed or a constant is copied within the
     * backend, so the result never aliases them. The values equal {@link #run(Symbol, Map)}'s.
     */
    Tensor runTensor(Symbol fetch, Map<? extends Node, ?> feeds);

    /** Computes one sparse fetch. */
    default SparseValue run(SparseSymbol fetch) {
        return run(fetch, Map.of());
    }

    /** Computes one sparse fetch with feeds. */
    SparseValue run(SparseSymbol fetch, Map<? extends Node, ?> feeds);

    /** Computes a list of fetches: element {@code i} is a {@link HostArray} or {@link SparseValue}. */
    List<Object> run(List<? extends Node> fetches, Map<? extends Node, ?> feeds);

    /** Computes a map of fetches, keeping the keys. */
    <K> Map<K, Object> run(Map<K, ? extends Node> fetches, Map<? extends Node, ?> feeds);

    /**
     * Makes this session the calling thread's default until the scope closes, for
     * {@link Symbol#eval()}. Scopes nest; they never reach other threads.
     */
    default Scope asDefault() {
        if (isClosed()) {
            throw new ClosedResourceException("this session is closed; open a new one with graph.newSession()");
        }
        return DefaultSessions.push(this);
    }

    /** True once {@link #close()} has run. */
    boolean isClosed();

    /** Closes the session. Idempotent. Running it afterwards throws {@link ClosedResourceException}. */
    @Override
    void close();

    /** A default-session scope. Close it on the thread that opened it, in try-with-resources. */
    interface Scope extends AutoCloseable {
        /** The session made default. */
        Session session();

        /** Restores the previous default. Idempotent. */
        @Override
        void close();
    }
}
