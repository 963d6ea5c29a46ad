package org.tensorbridge.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_DeleteTensorHandle;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleDataType;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleDevicePointer;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleDim;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleNumDims;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DataTypeSize;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.Pointer;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.memory.Storage;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * One tensor of TensorFlow: an eager tensor handle, which holds one of TensorFlow's references to its
 * buffer, and that buffer seen from Java. Released when the last holder releases it ({@link #free()}
 * deletes the handle); TensorFlow frees the buffer once no handle or tensor of its own refers to it.
 * Host views of it ({@code HostStorage.viewOf}) retain it. Thread-safe.
 */
final class TfStorage extends Storage {
    private final TFE_TensorHandle handle;
    private final long[] dims;
    private final ByteBuffer memory;
    private final long address;

    private TfStorage(TFE_TensorHandle handle, long[] dims, ByteBuffer memory, long address, MemoryLedger ledger) {
        super(memory.capacity(), ledger, "TensorFlow tensor");
        this.handle = handle;
        this.dims = dims;
        this.memory = memory;
        this.address = address;
    }

    /** Memory over {@code handle}, which it takes over: deleted here if this fails, else when released. */
    static TfStorage adopt(TFE_TensorHandle handle, MemoryLedger ledger) {
        TF_Status status = TF_NewStatus();
        try {
            long[] dims = new long[TFE_TensorHandleNumDims(handle, status)];
            long elements = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = TFE_TensorHandleDim(handle, i, status);
                elements *= dims[i];
            }
            long bytes = elements * TF_DataTypeSize(TFE_TensorHandleDataType(handle));
            Pointer data = TFE_TensorHandleDevicePointer(handle, status);
            Tf.check(status, "reading a tensor's memory");
            return new TfStorage(handle, dims, Tf.memory(data, bytes), bytes == 0 ? 0 : data.address(), ledger);
        } catch (RuntimeException | Error e) {
            TFE_DeleteTensorHandle(handle);
            throw e;
        } finally {
            TF_DeleteStatus(status);
        }
    }

    /** The eager handle, valid while the caller holds a reference. */
    TFE_TensorHandle handle() {
        return handle;
    }

    /** The dimensions TensorFlow knows the tensor by (a reshaped view of it may have others). */
    long[] dims() {
        return dims;
    }

    /** The buffer, native order, position 0; valid while the caller holds a reference. */
    ByteBuffer memory() {
        return memory.duplicate().order(memory.order());
    }

    /** The buffer itself, for callers that only read its address or slice it: never move its position. */
    ByteBuffer sharedMemory() {
        return memory;
    }

    /** The address of the first byte, 0 for an empty tensor. */
    long address() {
        return address;
    }

    @Override
    protected void free() {
        TFE_DeleteTensorHandle(handle);
    }
}
