package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.memory.ScalarCodec;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.op.Operation;

/**
 * Runs one registered kernel on a prepared call, in the memory given (the backend's, or the host's for
 * the fallback), and returns the result's memory: a {@link Storage} for a dense result, {@link SparseParts}
 * for a sparse one, each with one reference for the caller. Dense kernels never see an empty result or
 * an empty dense input: an empty result is just allocated, and a result over empty inputs (a matrix
 * product with an empty inner dimension, a sum over an empty axis) is filled with the operation's value
 * of nothing — 0, or NaN for a mean. Stateless.
 */
final class KernelExecution {
    private KernelExecution() {
    }

    static Object run(KernelRegistry.Entry entry, KernelCall call, Memory memory) {
        if (entry.style() == KernelRegistry.Style.SPARSE) {
            return ((SparseKernel) entry.kernel()).compute(call);
        }
        DType dtype = call.resultDType();
        Shape shape = call.resultShape();
        long bytes = shape.elementCount() * dtype.byteWidth();
        if (shape.elementCount() == 0 || hasEmptyDenseInput(call)) {
            Storage storage = memory.allocate(dtype, shape);
            try {
                if (shape.elementCount() > 0) {
                    memory.fill(new Operand(storage, dtype, shape), valueOfNothing(call.operation(), dtype));
                }
            } catch (RuntimeException | Error e) {
                storage.release();
                throw e;
            }
            return storage;
        }
        if (entry.style() == KernelRegistry.Style.ADOPT) {
            Storage adopted = ((Kernel) entry.kernel()).compute(call);
            if (adopted.byteSize() < bytes) {
                adopted.release();
                throw new IllegalStateException("the kernel of " + call.operation() + " returned " + adopted.byteSize()
                        + " bytes but its " + dtype.displayName() + shape + " result needs " + bytes
                        + "; a kernel must return memory for its whole result");
            }
            return adopted;
        }
        Storage storage = entry.style() == KernelRegistry.Style.OVERWRITE ? memory.allocateForOverwrite(dtype, shape)
                : memory.allocate(dtype, shape);
        try {
            ((WritingKernel) entry.kernel()).write(call, new Operand(storage, dtype, shape));
        } catch (RuntimeException | Error e) {
            storage.release();
            throw e;
        }
        return storage;
    }

    private static boolean hasEmptyDenseInput(KernelCall call) {
        for (int i = 0; i < call.inputCount(); i++) {
            if (call.operation().inputKinds().get(i) == org.tensorbridge.op.ValueKind.DENSE
                    && call.input(i).shape().elementCount() == 0) {
                return true;
            }
        }
        return false;
    }

    private static ByteBuffer valueOfNothing(Operation operation, DType dtype) {
        return ScalarCodec.encode(operation.averages() ? Double.NaN : 0, dtype, "value");
    }
}
