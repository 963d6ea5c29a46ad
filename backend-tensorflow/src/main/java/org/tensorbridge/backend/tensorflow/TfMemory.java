package org.tensorbridge.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewTensorHandle;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;

import java.nio.ByteBuffer;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.spi.Memory;
import org.tensorbridge.spi.Operand;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * The TensorFlow backend's memory: tensors that TensorFlow allocates (aligned as its kernels want), filled
 * and read through the buffer over their memory, one bulk copy each way. Thread-safe.
 */
final class TfMemory implements Memory {
    private final MemoryLedger ledger;

    TfMemory(MemoryLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Storage allocate(DType dtype, Shape shape) {
        return adoptAndDelete(Tf.allocate(dtype, shape.toArray(), shape.elementCount() * dtype.byteWidth()));
    }

    @Override
    public void requireHoldable(Shape shape, String argument) {
        TfShapes.requireHoldable(shape.toArray(), argument);
    }

    /** A tensor of TensorFlow, as this backend's memory with its own reference to the buffer; the caller deletes it. */
    TfStorage adopt(TF_Tensor tensor) {
        TF_Status status = TF_NewStatus();
        try {
            TFE_TensorHandle handle = TFE_NewTensorHandle(tensor, status);
            Tf.check(status, "making an eager tensor");
            return TfStorage.adopt(handle, ledger);
        } finally {
            TF_DeleteStatus(status);
        }
    }

    private TfStorage adoptAndDelete(TF_Tensor tensor) {
        try {
            return adopt(tensor);
        } finally {
            TF_DeleteTensor(tensor);
        }
    }

    @Override
    public void upload(ByteBuffer source, Storage target) {
        ((TfStorage) target).memory().put(source.duplicate());
    }

    @Override
    public void download(Storage source, ByteBuffer target) {
        ByteBuffer memory = ((TfStorage) source).memory();
        target.duplicate().put(memory.limit(target.remaining()));
    }

    /** Writes the element once, then doubles the filled part with bulk copies. */
    @Override
    public void fill(Operand target, ByteBuffer element) {
        ByteBuffer memory = ((TfStorage) target.storage()).memory();
        int bytes = (int) target.byteSize();
        memory.put(0, element, element.position(), element.remaining());
        for (int filled = element.remaining(); filled < bytes; filled *= 2) {
            memory.put(filled, memory, 0, Math.min(filled, bytes - filled));
        }
    }
}
