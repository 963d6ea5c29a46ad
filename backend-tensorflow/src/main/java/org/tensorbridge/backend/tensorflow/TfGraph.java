package org.tensorbridge.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GraphNextOperation;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OperationOpType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.bytedeco.javacpp.SizeTPointer;
import org.tensorbridge.Backend;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Node;
import org.tensorbridge.Session;
import org.tensorbridge.SparseSymbol;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;
import org.tensorbridge.graph.Graphs;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.ValueKind;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Operation;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * A graph of the TensorFlow backend: a TensorFlow graph, run by TensorFlow sessions ({@link TfSession}) with
 * TensorFlow 1's semantics. Each node is checked first by a graph of the generic runtime ({@code Graphs}), so
 * names, dtypes, known dimensions and every refusal are those of any backend; then its operation is added to
 * the TensorFlow graph as {@link TfOperations} writes it, the same TensorFlow operations the eager kernels run.
 * Placeholders are TensorFlow placeholders (three for a sparse one: indices, values, dense shape); constants
 * are TensorFlow constants holding a copy of the value.
 *
 * <p>Thread-safe: nodes may be added while sessions run; closing waits for runs in progress.
 */
final class TfGraph implements Graph {
    private final TensorflowBackend backend;
    private final Graph checks;
    private final TF_Graph graph = TF_NewGraph();
    private final GraphProgram tf = new GraphProgram(graph);
    /** Each node by the number of the last TensorFlow operation it added, to name the node TensorFlow reports. */
    private final ConcurrentSkipListMap<Integer, TfNode> byOperation = new ConcurrentSkipListMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    TfGraph(TensorflowBackend backend) {
        this.backend = backend;
        this.checks = Graphs.newGraph(backend);
    }

    @Override
    public Backend backend() {
        return backend;
    }

    TensorflowBackend tensorflowBackend() {
        return backend;
    }

    TF_Graph nativeGraph() {
        return graph;
    }

    @Override
    public Symbol placeholder(String name, DType dtype, long... dims) {
        return add(() -> {
            Symbol checked = checks.placeholder(name, dtype, dims);
            TF_Output fed = placeholder(dtype);
            return new TfNode.DenseNode(this, checked, List.of(tf.op("Identity", fed)), List.of(), null, List.of(fed));
        });
    }

    @Override
    public SparseSymbol sparsePlaceholder(String name, DType dtype, long... denseDims) {
        return add(() -> {
            SparseSymbol checked = checks.sparsePlaceholder(name, dtype, denseDims);
            List<TF_Output> fed = List.of(placeholder(DType.INT64), placeholder(dtype), placeholder(DType.INT64));
            return new TfNode.SparseNode(this, checked, fed.stream().map(f -> tf.op("Identity", f)).toList(), List.of(),
                    null, fed);
        });
    }

    private TF_Output placeholder(DType dtype) {
        return tf.run("Placeholder", 1, TfProgram.type("dtype", dtype), List.of()).get(0);
    }

    @Override
    public Symbol constant(Tensor value) {
        return add(() -> {
            Symbol checked = checks.constant(value);
            TF_Tensor copy;
            try (HostArray host = value.toHost()) {
                copy = Tf.tensor(value.dtype(), value.shape().toArray(), host.asByteBuffer());
            }
            try {
                return new TfNode.DenseNode(this, checked, List.of(tf.constant(copy)), List.of(), null, List.of());
            } finally {
                TF_DeleteTensor(copy);
            }
        });
    }

    @Override
    public Symbol scalar(DType dtype, Number value) {
        return add(() -> new TfNode.DenseNode(this, checks.scalar(dtype, value), List.of(tf.scalar(dtype, value)),
                List.of(), null, List.of()));
    }

    @Override
    public Symbol apply(Operation operation, Attributes attributes, Node... inputs) {
        return add(() -> {
            Symbol checked = checks.apply(operation, attributes, unwrap(inputs));
            return new TfNode.DenseNode(this, checked, List.of(TfOperations.dense(tf, operation, attributes,
                    values(inputs), firstDType(inputs), inputs.length == 0 ? 0 : ((TfNode) inputs[0]).known().length)),
                    nodes(inputs), operation, List.of());
        });
    }

    @Override
    public SparseSymbol applySparse(Operation operation, Attributes attributes, Node... inputs) {
        return add(() -> {
            SparseSymbol checked = checks.applySparse(operation, attributes, unwrap(inputs));
            TfOperations.Sparse<TF_Output> out = TfOperations.sparse(tf, operation, values(inputs),
                    firstDType(inputs));
            return new TfNode.SparseNode(this, checked, List.of(out.indices(), out.values(), out.shape()),
                    nodes(inputs), operation, List.of());
        });
    }

    /** Adds a node under the read lock, so that {@link #close()} never deletes the graph under it. */
    private <T extends TfNode> T add(Supplier<T> node) {
        Lock read = lock.readLock();
        read.lock();
        try {
            if (closed) {
                throw closedException("add nodes to it");
            }
            T added = node.get();
            byOperation.put(tf.count(), added);
            return added;
        } finally {
            read.unlock();
        }
    }

    /** {@code node} as a node of this graph, or an exception naming {@code argument}. */
    TfNode mine(Node node, String argument) {
        Objects.requireNonNull(node, argument + " must not be null");
        if (node instanceof TfNode mine && mine.graph == this) {
            return mine;
        }
        throw new IllegalArgumentException(argument + " ('" + node.name() + "') belongs to another graph; build every "
                + "node of a computation in one graph, and run it with a session of that graph");
    }

    /** The node that TensorFlow operation {@code name} ({@code n12}) was added for, or null. */
    TfNode nodeOf(String name) {
        Map.Entry<Integer, TfNode> entry = byOperation.ceilingEntry(Integer.parseInt(name.substring(1)));
        return entry == null ? null : entry.getValue();
    }

    private static Node[] unwrap(Node[] inputs) {
        Node[] checked = new Node[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            checked[i] = inputs[i] instanceof TfNode node ? node.checked : inputs[i];
        }
        return checked;
    }

    private static List<Object> values(Node[] inputs) {
        List<Object> values = new ArrayList<>();
        for (Node input : inputs) {
            values.add(((TfNode) input).value());
        }
        return values;
    }

    private static List<TfNode> nodes(Node[] inputs) {
        List<TfNode> nodes = new ArrayList<>();
        for (Node input : inputs) {
            nodes.add((TfNode) input);
        }
        return nodes;
    }

    private static DType firstDType(Node[] inputs) {
        return inputs.length == 0 ? null : inputs[0].dtype();
    }

    /** The types of the TensorFlow operations in this graph, in the order they were added. */
    List<String> operationTypes() {
        List<String> types = new ArrayList<>();
        try (SizeTPointer position = new SizeTPointer(1).put(0)) {
            for (TF_Operation op; (op = TF_GraphNextOperation(graph, position)) != null && !op.isNull();) {
                types.add(TF_OperationOpType(op).getString());
            }
        }
        return types;
    }

    @Override
    public Session newSession() {
        Lock read = lock.readLock();
        read.lock();
        try {
            if (closed) {
                throw closedException("open a session of it");
            }
            return new TfSession(this);
        } finally {
            read.unlock();
        }
    }

    /** The lock runs hold for reading and closing takes for writing. */
    ReentrantReadWriteLock lock() {
        return lock;
    }

    ClosedResourceException closedException(String action) {
        return new ClosedResourceException("this graph is closed and cannot " + action + "; build a new graph "
                + "(backend.newGraph()) to run again");
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Releases the constants and deletes the TensorFlow graph once its open sessions are closed. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                checks.close();
                TF_DeleteGraph(graph);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "Graph(TensorFlow, " + tf.count() + " operations" + (closed ? ", closed)" : ")");
    }
}
