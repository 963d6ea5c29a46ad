package org.tensorbridge.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_DeleteOp;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_DeleteTensorHandle;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_Execute;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewOp;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewTensorHandle;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpAddInput;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrBool;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrType;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleDevicePointer;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.tensorflow.internal.c_api.TFE_Context;
import org.tensorflow.internal.c_api.TFE_Op;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * TensorFlow operations run at once, as TensorFlow's eager runtime runs them ({@code TFE_Execute}), for one
 * kernel call. Every handle it makes is deleted on {@link #close()} except those {@link #keep kept}: the
 * result that becomes a tensor's memory. Not thread-safe; one per call.
 */
final class EagerProgram extends TfProgram<TFE_TensorHandle> implements AutoCloseable {
    private final TFE_Context context;
    private final TF_Status status = TF_NewStatus();
    private final List<TFE_TensorHandle> made = new ArrayList<>();

    EagerProgram(TFE_Context context) {
        this.context = context;
    }

    @Override
    List<TFE_TensorHandle> run(String type, int outputs, Object[] attributes, List<TFE_TensorHandle> inputs) {
        TFE_Op op = TFE_NewOp(context, type, status);
        Tf.check(status, type);
        try (CallArrays arrays = new CallArrays()) {
            PointerPointer<TFE_TensorHandle> results = arrays.pointers(outputs);
            IntPointer count = arrays.ints(1).put(outputs);
            for (int i = 0; i < attributes.length; i += 2) {
                if (attributes[i + 1] instanceof Boolean flag) {
                    TFE_OpSetAttrBool(op, (String) attributes[i], (byte) (flag ? 1 : 0));
                } else {
                    TFE_OpSetAttrType(op, (String) attributes[i], (Integer) attributes[i + 1]);
                }
            }
            for (TFE_TensorHandle input : inputs) {
                TFE_OpAddInput(op, input, status);
                Tf.check(status, type);
            }
            TFE_Execute(op, results, count, status);
            Tf.check(status, type);
            List<TFE_TensorHandle> out = new ArrayList<>(outputs);
            for (int i = 0; i < count.get(); i++) {
                out.add(results.get(TFE_TensorHandle.class, i));
            }
            made.addAll(out);
            return out;
        } finally {
            TFE_DeleteOp(op);
        }
    }

    @Override
    TFE_TensorHandle constant(TF_Tensor tensor) {
        TFE_TensorHandle handle = TFE_NewTensorHandle(tensor, status);
        Tf.check(status, "an eager constant");
        made.add(handle);
        return handle;
    }

    /** The address of {@code handle}'s buffer, 0 for an empty tensor. */
    long address(TFE_TensorHandle handle) {
        org.bytedeco.javacpp.Pointer data = TFE_TensorHandleDevicePointer(handle, status);
        Tf.check(status, "reading a tensor's address");
        return data == null ? 0 : data.address();
    }

    /** Leaves {@code handle} to the caller: {@link #close()} does not delete it. */
    TFE_TensorHandle keep(TFE_TensorHandle handle) {
        made.removeIf(h -> h == handle);
        return handle;
    }

    @Override
    public void close() {
        made.forEach(handle -> TFE_DeleteTensorHandle(handle));
        made.clear();
        TF_DeleteStatus(status);
    }
}
