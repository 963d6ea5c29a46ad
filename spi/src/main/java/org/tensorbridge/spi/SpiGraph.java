package org.tensorbridge.spi;

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
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.Graph;
import org.tensorbridge.Node;
import org.tensorbridge.Session;
import org.tensorbridge.SparseSymbol;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.Symbol;
import org.tensorbridge.Tensor;

/**
 * The {@link Graph} of backends built on {@link AbstractBackend}. Each operation node runs the
 * backend's eager operation when a session computes it, so graph and eager results are the same by
 * construction. Dtypes and known dimensions are checked as nodes are added.
 *
 * <p>Thread-safe: nodes may be added while sessions run.
 */
final class SpiGraph implements Graph {
    private final AbstractBackend backend;
    private final AtomicInteger nextId = new AtomicInteger();
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Tensor> constants = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    SpiGraph(AbstractBackend backend) {
        this.backend = backend;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    AbstractBackend owner() {
        return backend;
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
            List<Node> inputs, GraphNode.Evaluator evaluator) {
        return node(name, prefix, dtype, dims, sparse, kind, inputs, evaluator, null);
    }

    private GraphNode node(String name, String prefix, DType dtype, long[] dims, boolean sparse, GraphNode.Kind kind,
            List<Node> inputs, GraphNode.Evaluator evaluator, GraphNode.Elementwise elementwise) {
        ensureOpen();
        int id = nextId.getAndIncrement();
        String unique = name != null ? name : prefix + "_" + id;
        if (!names.add(unique)) {
            throw new IllegalArgumentException("name '" + unique + "' is already used in this graph; give each node a "
                    + "unique name");
        }
        return new GraphNode(id, unique, dtype, dims, sparse, kind, List.copyOf(inputs), evaluator, elementwise);
    }

    private Symbol dense(String operation, DType dtype, long[] dims, List<Node> inputs, GraphNode.Evaluator evaluator) {
        return new DenseNode(this, node(null, operation, dtype, dims, false, GraphNode.Kind.OPERATION, inputs,
                evaluator));
    }

    private SparseSymbol sparse(String operation, DType dtype, long[] dims, List<Node> inputs,
            GraphNode.Evaluator evaluator) {
        return new SparseNode(this, node(null, operation, dtype, dims, true, GraphNode.Kind.OPERATION, inputs,
                evaluator));
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

    private GraphNode dense(Symbol symbol, String argument) {
        return mine(symbol, argument);
    }

    private GraphNode sparse(SparseSymbol symbol, String argument) {
        return mine(symbol, argument);
    }

    private static void sameNumericDType(String operation, GraphNode a, GraphNode b) {
        if (!a.dtype().isNumeric()) {
            throw new DTypeMismatchException(operation + "(a, b): a " + a.describe() + " is bool, on which arithmetic "
                    + "is not defined; cast it first");
        }
        if (a.dtype() != b.dtype()) {
            throw new DTypeMismatchException(operation + "(a, b): a " + a.describe() + " and b " + b.describe()
                    + " differ in dtype; cast one, for example b.cast(DType." + a.dtype().name() + ")");
        }
    }

    @Override
    public Symbol placeholder(String name, DType dtype, long... dims) {
        Objects.requireNonNull(dtype, "dtype must not be null");
        backend.requireSupported(dtype, "dtype");
        checkDims(dims);
        return new DenseNode(this, node(name, "placeholder", dtype, dims.clone(), false, GraphNode.Kind.PLACEHOLDER,
                List.of(), null));
    }

    @Override
    public SparseSymbol sparsePlaceholder(String name, DType dtype, long... denseDims) {
        Objects.requireNonNull(dtype, "dtype must not be null");
        backend.requireSupported(dtype, "dtype");
        checkDims(denseDims);
        return new SparseNode(this, node(name, "sparse_placeholder", dtype, denseDims.clone(), true,
                GraphNode.Kind.PLACEHOLDER, List.of(), null));
    }

    private static void checkDims(long[] dims) {
        Objects.requireNonNull(dims, "dims must not be null");
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < -1) {
                throw new IllegalArgumentException("dims[" + i + "] is " + dims[i] + "; use sizes of 0 or more, or -1 "
                        + "for a size fixed by the feed");
            }
        }
    }

    @Override
    public Symbol constant(Tensor value) {
        Objects.requireNonNull(value, "value must not be null");
        ensureOpen();
        // A reshape to the same shape is a view: the graph holds its own reference to the memory.
        Tensor held = backend.reshape(value, value.shape().toArray());
        GraphNode node;
        try {
            node = node(null, "constant", value.dtype(), value.shape().toArray(), false, GraphNode.Kind.CONSTANT,
                    List.of(), null);
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
        return new DenseNode(this, node);
    }

    @Override
    public Symbol scalar(DType dtype, Number value) {
        try (Tensor tensor = backend.scalar(dtype, value)) {
            return constant(tensor);
        }
    }

    private Symbol binary(BinaryOp op, Symbol a, Symbol b, java.util.function.BinaryOperator<Tensor> run) {
        String operation = op.operationName();
        GraphNode x = dense(a, "a");
        GraphNode y = dense(b, "b");
        sameNumericDType(operation, x, y);
        return new DenseNode(this, node(null, operation, x.dtype(), SymbolicDims.broadcast(operation, x.dims(), y.dims()),
                false, GraphNode.Kind.OPERATION, List.of(a, b), in -> run.apply((Tensor) in.get(0), (Tensor) in.get(1)),
                new GraphNode.Elementwise(op, null)));
    }

    private Symbol binaryScalar(BinaryOp op, Symbol a, Number scalar,
            java.util.function.BiFunction<Tensor, Number, Tensor> run) {
        String operation = op.operationName();
        GraphNode x = dense(a, "a");
        if (!x.dtype().isNumeric()) {
            throw new DTypeMismatchException(operation + "(a, scalar): a " + x.describe() + " is bool; cast it first");
        }
        ScalarCodec.encode(scalar, x.dtype(), "scalar");
        return new DenseNode(this, node(null, operation, x.dtype(), x.dims(), false, GraphNode.Kind.OPERATION, List.of(a),
                in -> run.apply((Tensor) in.get(0), scalar), new GraphNode.Elementwise(op, scalar)));
    }

    @Override
    public Symbol add(Symbol a, Symbol b) {
        return binary(BinaryOp.ADD, a, b, backend::add);
    }

    @Override
    public Symbol add(Symbol a, Number scalar) {
        return binaryScalar(BinaryOp.ADD, a, scalar, backend::add);
    }

    @Override
    public Symbol subtract(Symbol a, Symbol b) {
        return binary(BinaryOp.SUBTRACT, a, b, backend::subtract);
    }

    @Override
    public Symbol subtract(Symbol a, Number scalar) {
        return binaryScalar(BinaryOp.SUBTRACT, a, scalar, backend::subtract);
    }

    @Override
    public Symbol multiply(Symbol a, Symbol b) {
        return binary(BinaryOp.MULTIPLY, a, b, backend::multiply);
    }

    @Override
    public Symbol multiply(Symbol a, Number scalar) {
        return binaryScalar(BinaryOp.MULTIPLY, a, scalar, backend::multiply);
    }

    @Override
    public Symbol divide(Symbol a, Symbol b) {
        return binary(BinaryOp.DIVIDE, a, b, backend::divide);
    }

    @Override
    public Symbol divide(Symbol a, Number scalar) {
        return binaryScalar(BinaryOp.DIVIDE, a, scalar, backend::divide);
    }

    @Override
    public Symbol matmul(Symbol a, Symbol b) {
        GraphNode x = dense(a, "a");
        GraphNode y = dense(b, "b");
        sameNumericDType("matmul", x, y);
        return dense("matmul", x.dtype(), SymbolicDims.matmul(x.dims(), y.dims()), List.of(a, b),
                in -> backend.matmul((Tensor) in.get(0), (Tensor) in.get(1)));
    }

    @Override
    public Symbol reshape(Symbol a, long... dims) {
        GraphNode x = dense(a, "a");
        Objects.requireNonNull(dims, "dims must not be null");
        long[] target = dims.clone();
        return dense("reshape", x.dtype(), SymbolicDims.reshape(x.dims(), target), List.of(a),
                in -> backend.reshape((Tensor) in.get(0), target));
    }

    @Override
    public Symbol cast(Symbol a, DType dtype) {
        GraphNode x = dense(a, "a");
        Objects.requireNonNull(dtype, "dtype must not be null");
        backend.requireSupported(dtype, "dtype");
        return dense("cast", dtype, x.dims(), List.of(a), in -> backend.cast((Tensor) in.get(0), dtype));
    }

    @Override
    public SparseSymbol toSparse(Symbol dense) {
        GraphNode x = dense(dense, "dense");
        return sparse("to_sparse", x.dtype(), x.dims(), List.of(dense), in -> backend.toSparse((Tensor) in.get(0)));
    }

    @Override
    public Symbol toDense(SparseSymbol a, long maxElements) {
        GraphNode x = sparse(a, "a");
        if (maxElements < 0) {
            throw new IllegalArgumentException("maxElements is " + maxElements + "; give 0 or more");
        }
        return dense("to_dense", x.dtype(), x.dims(), List.of(a),
                in -> backend.toDense((SparseTensor) in.get(0), maxElements));
    }

    @Override
    public SparseSymbol coalesce(SparseSymbol a) {
        GraphNode x = sparse(a, "a");
        return sparse("coalesce", x.dtype(), x.dims(), List.of(a), in -> backend.coalesce((SparseTensor) in.get(0)));
    }

    @Override
    public Symbol matmul(SparseSymbol a, Symbol b) {
        GraphNode x = sparse(a, "a");
        GraphNode y = dense(b, "b");
        sameNumericDType("matmul", x, y);
        return dense("sparse_matmul", x.dtype(), SymbolicDims.matmul(x.dims(), y.dims()), List.of(a, b),
                in -> backend.matmul((SparseTensor) in.get(0), (Tensor) in.get(1)));
    }

    @Override
    public SparseSymbol add(SparseSymbol a, SparseSymbol b) {
        GraphNode x = sparse(a, "a");
        GraphNode y = sparse(b, "b");
        sameNumericDType("add", x, y);
        return sparse("sparse_add", x.dtype(), x.dims(), List.of(a, b),
                in -> backend.add((SparseTensor) in.get(0), (SparseTensor) in.get(1)));
    }

    @Override
    public SparseSymbol multiply(SparseSymbol a, Number scalar) {
        GraphNode x = sparse(a, "a");
        ScalarCodec.encode(scalar, x.dtype(), "scalar");
        return sparse("sparse_multiply", x.dtype(), x.dims(), List.of(a),
                in -> backend.multiply((SparseTensor) in.get(0), scalar));
    }

    @Override
    public SparseSymbol transpose(SparseSymbol a) {
        GraphNode x = sparse(a, "a");
        long[] dims = x.dims();
        if (dims.length != 2) {
            throw new org.tensorbridge.ShapeMismatchException("transpose(a): a " + x.describe() + " is not rank 2");
        }
        return sparse("transpose", x.dtype(), new long[] {dims[1], dims[0]}, List.of(a),
                in -> backend.transpose((SparseTensor) in.get(0)));
    }

    @Override
    public Symbol sum(SparseSymbol a, int axis) {
        GraphNode x = sparse(a, "a");
        long[] dims = x.dims();
        if (axis < 0 || axis >= dims.length) {
            throw new IllegalArgumentException("axis is " + axis + " but a " + x.describe() + " has rank " + dims.length);
        }
        long[] out = new long[dims.length - 1];
        for (int d = 0, r = 0; d < dims.length; d++) {
            if (d != axis) {
                out[r++] = dims[d];
            }
        }
        return dense("sum", x.dtype(), out, List.of(a), in -> backend.sum((SparseTensor) in.get(0), axis));
    }

    @Override
    public Session newSession() {
        ensureOpen();
        return new SpiSession(this);
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
