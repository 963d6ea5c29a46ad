package org.tensorbridge.spi;

import java.util.List;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.SparseTensor;
import org.tensorbridge.SparseValue;
import org.tensorbridge.Tensor;
import org.tensorbridge.graph.FusedExpression;
import org.tensorbridge.graph.GraphSupport;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.op.Operations;

/**
 * What the graph runtime gets from a backend built on the spi: a run's own results handed over
 * without a copy when nothing else holds their memory, and fused elementwise chains run by the
 * backend's {@link Fusion}, if it has one. Thread-safe.
 */
final class RuntimeSupport implements GraphSupport {
    private final AbstractBackend backend;
    private final BackendSpec spec;

    RuntimeSupport(AbstractBackend backend, BackendSpec spec) {
        this.backend = backend;
        this.spec = spec;
    }

    @Override
    public HostArray handOver(Tensor owned) {
        if (owned instanceof BackendTensor tensor && tensor.owner() == backend) {
            return backend.conversions().handOver(tensor);
        }
        return GraphSupport.super.handOver(owned);
    }

    @Override
    public SparseValue handOver(SparseTensor owned) {
        if (owned instanceof BackendSparseTensor tensor && tensor.owner() == backend) {
            return backend.conversions().handOver(tensor);
        }
        return GraphSupport.super.handOver(owned);
    }

    /**
     * A device-side copy through the backend's cast kernel when it has one for the dtype; otherwise
     * through host memory, so a backend without cast can still fetch a feed or constant as a tensor.
     */
    @Override
    public Tensor copyWithin(Tensor tensor) {
        if (backend.capabilities().supports(Operations.CAST, tensor.dtype())) {
            return tensor.cast(tensor.dtype());
        }
        try (HostArray host = tensor.toHost()) {
            return backend.fromBuffer(host.asByteBuffer(), tensor.dtype(), tensor.shape(), CopyPolicy.ALWAYS);
        }
    }

    @Override
    public Tensor fuse(FusedExpression expression, List<Tensor> inputs, DType dtype, Shape shape) {
        if (spec.fusion == null || !spec.fusion.fuses(expression, dtype)) {
            return null;
        }
        backend.byteSize(dtype, shape, "a fused result");
        try (Pins pins = new Pins()) {
            List<Operand> operands = new java.util.ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                operands.add(pins.dense(backend.own(inputs.get(i), "fused input " + i), "fused input " + i));
            }
            Storage storage = spec.memory.allocateForOverwrite(dtype, shape);
            try {
                if (shape.elementCount() > 0) {
                    spec.fusion.run(expression, operands, new Operand(storage, dtype, shape));
                }
            } catch (RuntimeException | Error e) {
                storage.release();
                throw e;
            }
            return new BackendTensor(backend, storage, dtype, shape);
        }
    }
}
