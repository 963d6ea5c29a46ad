package org.tensorbridge.graph;

import org.tensorbridge.AnyTensor;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Dims;

/**
 * Turns what a caller feeds a placeholder into a tensor of the graph's backend, checking dtype and
 * shape against the placeholder. The result says whether the run owns it (and must close it).
 */
final class FeedConverter {
    private FeedConverter() {
    }

    /** A converted feed. */
    record Fed(AnyTensor value, boolean owned) {
    }

    static Fed dense(Backend backend, GraphNode placeholder, Object feed) {
        if (feed instanceof Tensor tensor) {
            check(placeholder, tensor.dtype(), tensor.shape());
            return new Fed(tensor, false);
        }
        if (feed instanceof HostArray array) {
            check(placeholder, array.dtype(), array.shape());
            return new Fed(backend.fromBuffer(array.asByteBuffer(), array.dtype(), array.shape(), CopyPolicy.IF_NEEDED),
                    true);
        }
        if (feed != null && feed.getClass().isArray()) {
            Tensor tensor = backend.constantOf(feed);
            try {
                check(placeholder, tensor.dtype(), tensor.shape());
            } catch (RuntimeException e) {
                tensor.close();
                throw e;
            }
            return new Fed(tensor, true);
        }
        throw new IllegalArgumentException("the feed for placeholder " + placeholder.describe() + " is "
                + (feed == null ? "null" : "a " + feed.getClass().getName()) + "; feed a HostArray, a Tensor of backend "
                + backend.name() + ", or a Java primitive array");
    }

    static Fed sparse(Backend backend, GraphNode placeholder, Object feed) {
        if (feed instanceof SparseTensor tensor) {
            check(placeholder, tensor.dtype(), tensor.denseShape());
            return new Fed(tensor, false);
        }
        if (feed instanceof SparseValue value) {
            check(placeholder, value.dtype(), value.denseShape());
            HostArray indices = value.indices();
            HostArray values = value.values();
            try (Tensor i = backend.fromBuffer(indices.asByteBuffer(), indices.dtype(), indices.shape(),
                    CopyPolicy.IF_NEEDED);
                    Tensor v = backend.fromBuffer(values.asByteBuffer(), values.dtype(), values.shape(),
                            CopyPolicy.IF_NEEDED)) {
                return new Fed(backend.sparseCoo(i, v, value.denseShape()), true);
            }
        }
        throw new IllegalArgumentException("the feed for sparse placeholder " + placeholder.describe() + " is "
                + (feed == null ? "null" : "a " + feed.getClass().getName()) + "; feed a SparseValue or a SparseTensor of "
                + "backend " + backend.name());
    }

    private static void check(GraphNode placeholder, org.tensorbridge.DType dtype, Shape shape) {
        if (dtype != placeholder.dtype()) {
            throw new DTypeMismatchException("the feed for placeholder " + placeholder.describe() + " is "
                    + dtype.displayName() + "; feed " + placeholder.dtype().displayName() + " data, or cast it first");
        }
        if (!Dims.fits(placeholder.dims(), shape)) {
            throw new ShapeMismatchException("the feed for placeholder " + placeholder.describe() + " has shape " + shape
                    + ", which does not fit " + Dims.format(placeholder.dims())
                    + "; every known dimension must match");
        }
    }
}
