package org.tensorbridge.spi;

import java.util.ArrayList;
import java.util.List;
import org.tensorbridge.AnyTensor;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.op.OperandTypes;
import org.tensorbridge.op.Operation;

/**
 * Runs an operation the backend has no kernel for through host kernels, when the backend opted in
 * ({@link BackendSpec.Builder#hostFallback}): every input is downloaded into host memory, the host
 * kernel runs there, and the result is uploaded into the backend's memory. Nothing is hidden: the bytes
 * moved each way are counted for the operation in {@link OperationStatistics}, with the call counted as
 * a fallback. Thread-safe.
 */
final class HostFallback {
    private final AbstractBackend backend;
    private final BackendSpec spec;
    private final KernelRegistry hostKernels;
    private final Memory host;

    HostFallback(AbstractBackend backend, BackendSpec spec, KernelRegistry hostKernels) {
        this.backend = backend;
        this.spec = spec;
        this.hostKernels = hostKernels;
        this.host = new HostMemory(new MemoryLedger("host fallback of backend " + spec.name), false);
    }

    boolean covers(Operation operation, DType dtype) {
        return hostKernels.find(operation, dtype) != null;
    }

    AnyTensor run(Operation operation, OperandTypes types, Object[] owned, DType dtype, Shape shape,
            OperationStatistics statistics) {
        KernelRegistry.Entry entry = hostKernels.find(operation, types.dtype(0));
        long[] copied = {0};
        List<Storage> temporaries = new ArrayList<>();
        try (Pins pins = new Pins()) {
            Object[] operands = OperationRunner.pin(pins, operation, owned);
            for (int i = 0; i < operands.length; i++) {
                operands[i] = operands[i] instanceof SparseOperand sparse
                        ? new SparseOperand(toHost(sparse.indices(), temporaries, copied),
                                toHost(sparse.values(), temporaries, copied), sparse.denseShape(), sparse.canonical())
                        : toHost((Operand) operands[i], temporaries, copied);
            }
            OperationRunner.checkGuards(operation, types, operands, shape, ValueChecks.onHost(host));
            Object result = KernelExecution.run(entry, new KernelCall(operation, types.attributes(), operands, dtype,
                    shape, host), host);
            Object uploaded;
            if (result instanceof SparseParts parts) {
                temporaries.add(parts.indices());
                temporaries.add(parts.values());
                Storage indices = toBackend(parts.indices(), DType.INT64, Shape.of(parts.nnz(), shape.rank()), copied);
                Storage values;
                try {
                    values = toBackend(parts.values(), dtype, Shape.of(parts.nnz()), copied);
                } catch (RuntimeException | Error e) {
                    indices.release();
                    throw e;
                }
                uploaded = new SparseParts(indices, values, parts.nnz(), parts.canonical());
            } else {
                temporaries.add((Storage) result);
                uploaded = toBackend((Storage) result, dtype, shape, copied);
            }
            statistics.record(operation, copied[0], true);
            return backend.wrap(uploaded, dtype, shape);
        } finally {
            temporaries.forEach(Storage::release);
        }
    }

    private Operand toHost(Operand operand, List<Storage> temporaries, long[] copied) {
        HostStorage copy = (HostStorage) host.allocate(operand.dtype(), operand.shape());
        temporaries.add(copy);
        int bytes = (int) operand.byteSize();
        if (bytes > 0) {
            spec.memory.download(operand.storage(), copy.transientBuffer().limit(bytes));
        }
        copied[0] += bytes;
        return new Operand(copy, operand.dtype(), operand.shape());
    }

    private Storage toBackend(Storage hostResult, DType dtype, Shape shape, long[] copied) {
        HostStorage source = (HostStorage) hostResult;
        long bytes = shape.elementCount() * dtype.byteWidth();
        Storage target = spec.memory.allocate(dtype, shape);
        try {
            if (bytes > 0) {
                spec.memory.upload(source.transientBuffer().limit((int) bytes), target);
            }
        } catch (RuntimeException | Error e) {
            target.release();
            throw e;
        }
        copied[0] += bytes;
        return target;
    }
}
