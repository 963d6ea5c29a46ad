package org.tensorbridge.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorbridge.Backend;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.Graph;
import org.tensorbridge.HostArray;
import org.tensorbridge.Node;
import org.tensorbridge.OperationUnsupportedException;
import org.tensorbridge.Session;
import org.tensorbridge.SparseSymbol;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;
import org.tensorbridge.TensorScope;
import org.tensorbridge.UnsupportedDTypeException;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.OperandTypes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.ValueKind;

/**
 * The {@link Graph} of the generic runtime. A node records an {@link Operation}, its attributes and
 * inputs; its dtype and dimensions come from the operation's own rules, checked as the node is added.
 * A session computes a node by the backend's eager {@code apply} of the same operation, so graph and
 * eager results are the same by construction.
 *
 * <p>Thread-safe: nodes may be added while sessions run.
 */
final class RuntimeGraph implements Graph {
    private final Backend backend;
    private final GraphSupport support;
    private final AtomicInteger nextId = new AtomicInteger();
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Tensor> constants = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    RuntimeGraph(Backend backend, GraphSupport support) {
        this.backend = backend;
        this.support = support;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    GraphSupport support() {
        return support;
    }

    Tensor constantValue(GraphNode node) {
        Tensor value = constants.get(node.id());
        if (value == null || closed.get()) {
            throw closedException();
        }
        return value;
    }

    // ---- node construction ----

    /** A new node; without a name it is called {@code prefix_id}. */
    private GraphNode node(String name, String prefix, DType dtype, long[] dims, boolean sparse, GraphNode.Kind kind,
            Operation operation, Attributes attributes, List<GraphNode> inputs, ByteBuffer scalar, Number value) {
        ensureOpen();
        int id = nextId.getAndIncrement();
        String unique = name != null ? name : prefix + "_" + id;
        if (!names.add(unique)) {
            throw new IllegalArgumentException("name '" + unique + "' is already used in this graph; give each node a "
                    + "unique name");
        }
        return new GraphNode(id, unique, dtype, dims, sparse, kind, operation, attributes, List.copyOf(inputs), scalar,
                value);
    }

    /** How many nodes this graph has made: every node's id is below it. */
    int nodeCount() {
        return nextId.get();
    }

    GraphNode mine(Node node, String argument) {
        Objects.requireNonNull(node, argument + " must not be null");
        GraphNode inner = node instanceof DenseNode d && d.graph() == this ? d.node()
                : node instanceof SparseNode s && s.graph() == this ? s.node() : null;
        if (inner == null) {
            throw new IllegalArgumentException(argument + " ('" + node.name() + "') belongs to another graph; build "
                    + "every node of a computation in one graph");
        }
        return inner;
    }

    @Override
    public Symbol placeholder(String name, DType dtype, long... dims) {
        return new DenseNode(this, placeholderNode(name, "placeholder", dtype, dims, false));
    }

    @Override
    public SparseSymbol sparsePlaceholder(String name, DType dtype, long... denseDims) {
        return new SparseNode(this, placeholderNode(name, "sparse_placeholder", dtype, denseDims, true));
    }

    private GraphNode placeholderNode(String name, String prefix, DType dtype, long[] dims, boolean sparse) {
        Objects.requireNonNull(dtype, "dtype must not be null");
        requireSupported(dtype, "dtype");
        Objects.requireNonNull(dims, "dims must not be null");
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < -1) {
                throw new IllegalArgumentException("dims[" + i + "] is " + dims[i] + "; use sizes of 0 or more, or -1 "
                        + "for a size fixed by the feed");
            }
        }
        return node(name, prefix, dtype, dims.clone(), sparse, GraphNode.Kind.PLACEHOLDER, null, Attributes.NONE,
                List.of(), null, null);
    }

    @Override
    public Symbol constant(Tensor value) {
        return new DenseNode(this, constantNode(value, null, null));
    }

    @Override
    public Symbol scalar(DType dtype, Number value) {
        try (Tensor tensor = backend.scalar(dtype, value); HostArray host = tensor.toHost(CopyPolicy.ALWAYS)) {
            ByteBuffer element = ByteBuffer.allocate(dtype.byteWidth()).order(ByteOrder.nativeOrder());
            element.put(host.asByteBuffer()).flip();
            return new DenseNode(this, constantNode(tensor, element, value));
        }
    }

    private GraphNode constantNode(Tensor value, ByteBuffer scalar, Number scalarValue) {
        Objects.requireNonNull(value, "value must not be null");
        ensureOpen();
        // A reshape to the same shape is a view: the graph holds its own reference to the memory, which no
        // tensor scope of the caller's may close.
        Tensor held = TensorScope.detachFromCurrent(value.reshape(value.shape().toArray()));
        GraphNode node;
        try {
            node = node(null, "constant", value.dtype(), value.shape().toArray(), false, GraphNode.Kind.CONSTANT, null,
                    Attributes.NONE, List.of(), scalar, scalarValue);
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
        constants.put(node.id(), held);
        if (closed.get()) {
            // Closed meanwhile: nothing else will release it.
            constants.remove(node.id());
            held.close();
            throw closedException();
        }
        return node;
    }

    @Override
    public Symbol apply(Operation operation, Attributes attributes, Node... inputs) {
        return new DenseNode(this, operationNode(operation, attributes, inputs, ValueKind.DENSE));
    }

    @Override
    public SparseSymbol applySparse(Operation operation, Attributes attributes, Node... inputs) {
        return new SparseNode(this, operationNode(operation, attributes, inputs, ValueKind.SPARSE));
    }

    /** Checks the inputs against the operation's definition and adds the node, with the rules' dtype and dims. */
    private GraphNode operationNode(Operation operation, Attributes attributes, Node[] inputs, ValueKind result) {
        Objects.requireNonNull(operation, "operation must not be null");
        Objects.requireNonNull(attributes, "attributes must not be null; use Attributes.NONE");
        Objects.requireNonNull(inputs, "inputs must not be null");
        if (operation.output() != result) {
            throw new IllegalArgumentException(operation + " gives a " + operation.output().name().toLowerCase()
                    + " result; call " + (operation.output() == ValueKind.SPARSE ? "applySparse" : "apply"));
        }
        if (inputs.length != operation.arity()) {
            throw new IllegalArgumentException(operation + " takes " + operation.arity() + " inputs "
                    + operation.inputNames() + " but got " + inputs.length);
        }
        List<GraphNode> nodes = new ArrayList<>();
        List<DType> dtypes = new ArrayList<>();
        List<long[]> dims = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            String argument = operation.inputNames().get(i);
            GraphNode node = mine(inputs[i], argument);
            boolean sparse = operation.inputKinds().get(i) == ValueKind.SPARSE;
            if (node.sparse() != sparse) {
                throw new IllegalArgumentException(operation + ": " + argument + " " + node.describe() + " must be a "
                        + (sparse ? "sparse" : "dense") + " symbol");
            }
            nodes.add(node);
            dtypes.add(node.dtype());
            dims.add(node.dims());
        }
        OperandTypes types = new OperandTypes(operation, attributes, dtypes, dims);
        DType dtype = operation.resultDType(types);
        long[] resultDims = operation.resultDims(types);
        requireSupported(dtype, "the result of " + operation);
        if (inputs.length > 0 && !backend.capabilities().supports(operation, dtypes.get(0))) {
            throw new OperationUnsupportedException("backend " + backend.name() + " has no kernel for " + operation
                    + " on " + dtypes.get(0).displayName() + "; it runs it on " + backend.capabilities().dtypesOf(operation)
                    + ". Cast the input, or build the graph on a backend that has it (./tensorbridge backends)");
        }
        return node(null, operation.name(), dtype, resultDims, result == ValueKind.SPARSE, GraphNode.Kind.OPERATION,
                operation, attributes, nodes, null, null);
    }

    private void requireSupported(DType dtype, String argument) {
        if (!backend.capabilities().supports(dtype)) {
            throw new UnsupportedDTypeException(argument + " is " + dtype.displayName() + ", which backend "
                    + backend.name() + " does not support; it supports " + backend.capabilities().supportedDTypes());
        }
    }

    @Override
    public Session newSession() {
        ensureOpen();
        return new RuntimeSession(this);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw closedException();
        }
    }

    ClosedResourceException closedException() {
        return new ClosedResourceException("this graph is closed; build a new graph (backend.newGraph()) to run again");
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            List<Tensor> held = new ArrayList<>(constants.values());
            constants.clear();
            held.forEach(Tensor::close);
        }
    }

    @Override
    public String toString() {
        return "Graph(" + nextId.get() + " nodes on " + backend.name() + (isClosed() ? ", closed)" : ")");
    }
}
