package org.tensorbridge.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Dim;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_INVALID_ARGUMENT;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NumDims;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionRun;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorByteSize;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorMaybeMove;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.PointerPointer;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Node;
import org.tensorbridge.Session;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseSymbol;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;
import org.tensorbridge.UndefinedResultException;
import org.tensorbridge.memory.BufferHostArray;
import org.tensorbridge.memory.HostArrays;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.op.Guard;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * A TensorFlow session over a {@link TfGraph}: each run is one {@code TF_SessionRun}, which computes what the
 * fetches need, each node once. Results are copies into host memory (the spi hands over only its own host
 * memory, not TensorFlow's), {@link org.tensorbridge.Sharing#INDEPENDENT}, writable, their bytes counted;
 * {@link #runTensor} keeps TensorFlow's output as the tensor's memory when nothing else refers to it, and
 * copies it when it is a feed's or a constant's. Thread-safe: runs from several threads run at once.
 */
final class TfSession implements Session {
    private static final Pattern NODE = Pattern.compile("\\{\\{node (n\\d+)}}");

    private final TfGraph graph;
    private final TF_Session session;
    private final AtomicBoolean closed = new AtomicBoolean();

    TfSession(TfGraph graph) {
        this.graph = graph;
        TF_Status status = TF_NewStatus();
        TF_SessionOptions options = TF_NewSessionOptions();
        try {
            this.session = TF_NewSession(graph.nativeGraph(), options, status);
            Tf.check(status, "opening a session");
        } finally {
            TF_DeleteSessionOptions(options);
            TF_DeleteStatus(status);
        }
    }

    @Override
    public Graph graph() {
        return graph;
    }

    @Override
    public HostArray run(Symbol fetch, Map<? extends Node, ?> feeds) {
        return (HostArray) execute(List.of(Objects.requireNonNull(fetch, "fetch must not be null")), feeds, false)
                .get(0);
    }

    @Override
    public Tensor runTensor(Symbol fetch, Map<? extends Node, ?> feeds) {
        return (Tensor) execute(List.of(Objects.requireNonNull(fetch, "fetch must not be null")), feeds, true).get(0);
    }

    @Override
    public SparseValue run(SparseSymbol fetch, Map<? extends Node, ?> feeds) {
        return (SparseValue) execute(List.of(Objects.requireNonNull(fetch, "fetch must not be null")), feeds, false)
                .get(0);
    }

    @Override
    public List<Object> run(List<? extends Node> fetches, Map<? extends Node, ?> feeds) {
        return execute(Objects.requireNonNull(fetches, "fetches must not be null"), feeds, false);
    }

    @Override
    public <K> Map<K, Object> run(Map<K, ? extends Node> fetches, Map<? extends Node, ?> feeds) {
        List<K> keys = new ArrayList<>(Objects.requireNonNull(fetches, "fetches must not be null").keySet());
        List<Object> results = execute(keys.stream().map(k -> (Node) fetches.get(k)).toList(), feeds, false);
        Map<K, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            out.put(keys.get(i), results.get(i));
        }
        return out;
    }

    /** One TensorFlow run: a host result (or with {@code asTensors}, a tensor) per fetch, in order. */
    private List<Object> execute(List<? extends Node> fetches, Map<? extends Node, ?> feeds, boolean asTensors) {
        Lock read = graph.lock().readLock();
        read.lock();
        try {
            if (closed.get()) {
                throw new ClosedResourceException("this session is closed; open a new one with graph.newSession()");
            }
            if (graph.isClosed()) {
                throw graph.closedException("run");
            }
            List<TfNode> nodes = new ArrayList<>();
            List<TF_Output> wanted = new ArrayList<>();
            for (int i = 0; i < fetches.size(); i++) {
                TfNode node = graph.mine(fetches.get(i), "fetch " + i);
                nodes.add(node);
                wanted.addAll(node.outputs);
            }
            try (TfFeeds fed = new TfFeeds(graph, feeds)) {
                fed.requireFed(nodes);
                List<TF_Tensor> outputs = run(fed.outputs, fed.tensors, wanted);
                try {
                    List<Object> results = new ArrayList<>();
                    try {
                        for (int i = 0, at = 0; i < nodes.size(); at += nodes.get(i++).outputs.size()) {
                            results.add(result(nodes.get(i), outputs.subList(at, at + nodes.get(i).outputs.size()),
                                    asTensors));
                        }
                    } catch (RuntimeException | Error e) {
                        results.forEach(TfSession::close);
                        throw e;
                    }
                    return results;
                } finally {
                    outputs.forEach(t -> TF_DeleteTensor(t));
                }
            }
        } finally {
            read.unlock();
        }
    }

    private static void close(Object result) {
        try {
            ((AutoCloseable) result).close();
        } catch (Exception e) {
            throw new IllegalStateException(e); // host arrays, sparse values and tensors do not throw from close()
        }
    }

    private List<TF_Tensor> run(List<TF_Output> feeds, List<TF_Tensor> values, List<TF_Output> fetches) {
        TF_Status status = TF_NewStatus();
        try (CallArrays arrays = new CallArrays()) {
            TF_Output in = arrays.outputs(feeds.size());
            PointerPointer<TF_Tensor> inValues = arrays.pointers(feeds.size());
            TF_Output out = arrays.outputs(fetches.size());
            PointerPointer<TF_Tensor> outValues = arrays.pointers(fetches.size());
            for (int i = 0; i < feeds.size(); i++) {
                in.position(i).oper(feeds.get(i).oper()).index(feeds.get(i).index());
                inValues.put(i, values.get(i));
            }
            for (int i = 0; i < fetches.size(); i++) {
                out.position(i).oper(fetches.get(i).oper()).index(fetches.get(i).index());
            }
            TF_SessionRun(session, null, in.position(0), inValues, feeds.size(), out.position(0), outValues,
                    fetches.size(), null, 0, null, status);
            if (TF_GetCode(status) != TF_OK) {
                throw failure(TF_GetCode(status), TF_Message(status).getString());
            }
            List<TF_Tensor> tensors = new ArrayList<>();
            for (int i = 0; i < fetches.size(); i++) {
                tensors.add(outValues.get(TF_Tensor.class, i));
            }
            return tensors;
        } finally {
            TF_DeleteStatus(status);
        }
    }

    /**
     * The exception for a failed run, naming the node: a guard's (integer division by zero, a negative integer
     * power) where the failing node has one, a shape mismatch for other invalid arguments (dimensions unknown
     * when the graph was built).
     */
    private RuntimeException failure(int code, String message) {
        Matcher m = NODE.matcher(message);
        TfNode node = m.find() ? graph.nodeOf(m.group(1)) : null;
        String where = node == null ? "a graph run" : "graph node " + node.describe();
        String first = message.lines().findFirst().orElse(message);
        if (node != null && node.operation != null && !node.operation.guards().isEmpty() && node.dtype().isInteger()) {
            Guard guard = node.operation.guards().get(0);
            return new UndefinedResultException(where + " failed (" + first + "): " + guard.explanation());
        }
        if (code == TF_INVALID_ARGUMENT) {
            return new ShapeMismatchException(where + " failed in TensorFlow: " + first + "; feed values whose shapes fit "
                    + "the operation");
        }
        return new TensorflowFailureException(where + " failed in TensorFlow (code " + code + "): " + first);
    }

    /** A fetch's result from its TensorFlow outputs (one, or three for a sparse node). */
    private Object result(TfNode node, List<TF_Tensor> outputs, boolean asTensor) {
        TensorflowBackend backend = graph.tensorflowBackend();
        if (node instanceof TfNode.SparseNode) {
            long[] dims = new long[(int) (TF_TensorByteSize(outputs.get(2)) / Long.BYTES)];
            Tf.memory(TF_TensorData(outputs.get(2)), dims.length * 8L).asLongBuffer().get(dims);
            boolean canonical = TfKernels.canonical(bytes(outputs.get(0)), shape(outputs.get(1)).dim(0), Shape.of(dims));
            BufferHostArray indices = copy(outputs.get(0), DType.INT64);
            try {
                BufferHostArray values = copy(outputs.get(1), node.dtype());
                return HostArrays.sparseValue(indices, values, Shape.of(dims), canonical, backend.device(),
                        backend.ledger());
            } catch (RuntimeException | Error e) {
                indices.close();
                throw e;
            }
        }
        TF_Tensor output = outputs.get(0);
        Shape shape = shape(output);
        boolean exclusive = TF_TensorMaybeMove(output) != null; // nothing else refers to its buffer
        if (!asTensor) {
            return exclusive ? handOver(backend.memory().adopt(output), node.dtype(), shape)
                    : copy(output, node.dtype());
        }
        if (exclusive) {
            return backend.adopt(backend.memory().adopt(output), node.dtype(), shape);
        }
        TfStorage storage = (TfStorage) backend.memory().allocate(node.dtype(), shape);
        storage.memory().put(bytes(output));
        return backend.adopt(storage, node.dtype(), shape);
    }

    /**
     * An independent, writable host array over TensorFlow's output buffer, which nothing else refers to:
     * the array holds the buffer through a host view, 0 bytes copied.
     */
    private BufferHostArray handOver(TfStorage adopted, DType dtype, Shape shape) {
        HostStorage view = HostStorage.viewHolding(adopted, adopted.sharedMemory(), false);
        return HostArrays.handOver(view, dtype, shape, graph.tensorflowBackend().device());
    }

    /** An independent, writable host copy of {@code output}. */
    private BufferHostArray copy(TF_Tensor output, DType dtype) {
        TensorflowBackend backend = graph.tensorflowBackend();
        return HostArrays.copy(dtype, shape(output), backend.device(), false, backend.ledger(),
                target -> target.put(bytes(output)));
    }

    private static ByteBuffer bytes(TF_Tensor tensor) {
        return Tf.memory(TF_TensorData(tensor), TF_TensorByteSize(tensor));
    }

    private static Shape shape(TF_Tensor tensor) {
        long[] dims = new long[TF_NumDims(tensor)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = TF_Dim(tensor, i);
        }
        return Shape.of(dims);
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    /** Closes the TensorFlow session once runs in progress have finished. Idempotent. */
    @Override
    public void close() {
        graph.lock().writeLock().lock();
        try {
            if (closed.compareAndSet(false, true)) {
                TF_Status status = TF_NewStatus();
                TF_CloseSession(session, status);
                TF_DeleteSession(session, status);
                TF_DeleteStatus(status);
            }
        } finally {
            graph.lock().writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "Session(" + graph + (isClosed() ? ", closed)" : ")");
    }
}
