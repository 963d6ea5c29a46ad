package org.tensorbridge.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.HostArray;
import org.tensorbridge.Node;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Dims;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * The feeds of one run, as TensorFlow tensors over the memory of tensors of the TensorFlow backend, without a
 * copy: a feed that is a {@link HostArray}, a Java array or a {@link SparseValue} becomes such a tensor first
 * (one copy, as for any backend); a tensor of the backend is read where it lies. Checks each feed against its
 * placeholder, and that every placeholder the fetches need is fed. Closing releases what it made. Not
 * thread-safe; one per run.
 */
final class TfFeeds implements AutoCloseable {
    final List<TF_Output> outputs = new ArrayList<>();
    final List<TF_Tensor> tensors = new ArrayList<>();
    private final List<AutoCloseable> held = new ArrayList<>();
    private final Set<TfNode> fed = new HashSet<>();
    private final Backend backend;

    TfFeeds(TfGraph graph, Map<? extends Node, ?> feeds) {
        this.backend = graph.backend();
        if (feeds == null) {
            throw new NullPointerException("feeds must not be null; pass Map.of() for none");
        }
        try {
            for (Map.Entry<? extends Node, ?> feed : feeds.entrySet()) {
                TfNode node = graph.mine(feed.getKey(), "a feed key");
                if (!node.placeholder) {
                    throw new IllegalArgumentException("feed key " + node.describe() + " is not a placeholder; only "
                            + "placeholders can be fed");
                }
                fed.add(node);
                if (node instanceof TfNode.SparseNode) {
                    feedSparse(node, feed.getValue());
                } else {
                    Tensor tensor = dense(node, feed.getValue());
                    check(node, tensor.dtype(), tensor.shape());
                    alias(node.fed.get(0), tensor.toHost(CopyPolicy.NEVER));
                }
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Throws naming the first placeholder that {@code fetches} need and that is not fed. */
    void requireFed(List<TfNode> fetches) {
        Set<TfNode> seen = new HashSet<>();
        ArrayDeque<TfNode> pending = new ArrayDeque<>(fetches);
        while (!pending.isEmpty()) {
            TfNode node = pending.pop();
            if (seen.add(node)) {
                if (node.placeholder && !fed.contains(node)) {
                    throw new IllegalArgumentException("placeholder " + node.describe() + " is needed by the fetches "
                            + "but was not fed; pass it in the feeds, for example session.run(fetch, Map.of("
                            + node.name() + ", value))");
                }
                pending.addAll(node.inputs);
            }
        }
    }

    private Tensor dense(TfNode node, Object feed) {
        if (feed instanceof Tensor tensor && tensor.backend() == backend) {
            return tensor;
        }
        if (feed instanceof HostArray array) {
            check(node, array.dtype(), array.shape());
            return own(backend.fromBuffer(array.asByteBuffer(), array.dtype(), array.shape(), CopyPolicy.IF_NEEDED));
        }
        if (feed != null && feed.getClass().isArray()) {
            return own(backend.constantOf(feed));
        }
        throw new IllegalArgumentException("the feed for placeholder " + node.describe() + " is " + (feed == null ? "null"
                : "a " + feed.getClass().getName()) + "; feed a HostArray, a Tensor of backend " + backend.name()
                + ", or a Java primitive array");
    }

    private void feedSparse(TfNode node, Object feed) {
        SparseTensor tensor;
        if (feed instanceof SparseTensor mine && mine.backend() == backend) {
            tensor = mine;
        } else if (feed instanceof SparseValue value) {
            check(node, value.dtype(), value.denseShape());
            try (Tensor i = backend.fromBuffer(value.indices().asByteBuffer(), DType.INT64, value.indices().shape());
                    Tensor v = backend.fromBuffer(value.values().asByteBuffer(), value.dtype(), value.values().shape())) {
                tensor = own(backend.sparseCoo(i, v, value.denseShape()));
            }
        } else {
            throw new IllegalArgumentException("the feed for sparse placeholder " + node.describe() + " is "
                    + (feed == null ? "null" : "a " + feed.getClass().getName()) + "; feed a SparseValue or a "
                    + "SparseTensor of backend " + backend.name());
        }
        check(node, tensor.dtype(), tensor.denseShape());
        SparseValue parts = own(tensor.toSparseValue(CopyPolicy.NEVER));
        alias(node.fed.get(0), parts.indices());
        alias(node.fed.get(1), parts.values());
        long[] dims = tensor.denseShape().toArray();
        TF_Tensor shape = Tf.allocate(DType.INT64, new long[] {dims.length}, dims.length * 8L);
        Tf.memory(TF_TensorData(shape), dims.length * 8L).asLongBuffer().put(dims);
        outputs.add(node.fed.get(2));
        tensors.add(shape);
    }

    /** Feeds {@code output} with a TensorFlow tensor over the memory {@code host} shares with a tensor. */
    private void alias(TF_Output output, HostArray host) {
        own(host);
        outputs.add(output);
        tensors.add(Tf.lent(host.dtype(), host.shape().toArray(), host.asByteBuffer()));
    }

    private <T extends AutoCloseable> T own(T value) {
        held.add(value);
        return value;
    }

    private static void check(TfNode node, DType dtype, Shape shape) {
        if (dtype != node.dtype()) {
            throw new DTypeMismatchException("the feed for placeholder " + node.describe() + " is " + dtype.displayName()
                    + "; feed " + node.dtype().displayName() + " data, or cast it first");
        }
        if (!Dims.fits(node.known(), shape)) {
            throw new ShapeMismatchException("the feed for placeholder " + node.describe() + " has shape " + shape
                    + ", which does not fit " + Dims.format(node.known()) + "; every known dimension must match");
        }
    }

    @Override
    public void close() {
        tensors.forEach(tensor -> TF_DeleteTensor(tensor));
        tensors.clear();
        for (int i = held.size() - 1; i >= 0; i--) {
            try {
                held.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        held.clear();
    }
}
