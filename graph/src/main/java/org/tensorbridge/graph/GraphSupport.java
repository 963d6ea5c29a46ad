package org.tensorbridge.graph;

import java.util.List;
import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;

/**
 * What a backend may add to the graph runtime, which otherwise needs nothing but the api. Every method
 * has a default that works for any backend: results are copied, nothing is fused. Backends built on
 * the spi override them to hand computed memory over without a copy and to run fused elementwise
 * chains as one kernel.
 *
 * <p>Implementations must be thread-safe: sessions run from several threads at once.
 */
public interface GraphSupport {
    /** The defaults only. */
    GraphSupport NONE = new GraphSupport() {
    };

    /**
     * An independent, writable host array of {@code owned}, a tensor the run computed and nobody else
     * holds; the memory may be handed over whole (0 bytes copied). Closes {@code owned}.
     */
    default HostArray handOver(Tensor owned) {
        try (owned) {
            return owned.toHost(CopyPolicy.ALWAYS, Access.WRITABLE);
        }
    }

    /** {@link #handOver(Tensor)} for a sparse result. Closes {@code owned}. */
    default SparseValue handOver(SparseTensor owned) {
        try (owned) {
            return owned.toSparseValue(CopyPolicy.ALWAYS, Access.WRITABLE);
        }
    }

    /** A copy of {@code tensor} in the backend's own memory, for a fetched feed or constant. */
    default Tensor copyWithin(Tensor tensor) {
        return tensor.cast(tensor.dtype());
    }

    /**
     * The value of {@code expression} over {@code inputs} (tensors of this backend, each of
     * {@code dtype} and {@code shape}) as a new tensor, or null if this backend does not fuse it, in
     * which case the run computes the chain one operation at a time. The values must equal those of the
     * operations run one by one.
     */
    default Tensor fuse(FusedExpression expression, List<Tensor> inputs, DType dtype, Shape shape) {
        return null;
    }
}
