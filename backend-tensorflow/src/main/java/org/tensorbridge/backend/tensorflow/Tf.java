package org.tensorbridge.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_AllocateTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;
import org.tensorbridge.DType;
import org.tensorflow.internal.c_api.Deallocator_Pointer_long_Pointer;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * TensorFlow's C API as TensorFlow Java binds it ({@code org.tensorflow.internal.c_api}, which
 * {@code tensorflow-core-native} exports): dtype codes, status checks, new tensors, native memory as
 * buffers. Why the C API and not {@code EagerSession}: TensorFlow Java attaches every eager result to its
 * session and frees it only when the session closes or the garbage collector runs, and it makes an eager
 * value of a tensor only by copying it into a constant; the C API frees each result when its tensor is
 * released and hands tensors to operations without a copy. Stateless.
 */
final class Tf {
    /** TensorFlow's dtype codes ({@code TF_DataType}) by tensorbridge dtype; 0 where TensorFlow has none. */
    private static final int[] CODES = new int[DType.values().length];

    static {
        CODES[DType.BOOL.ordinal()] = 10;
        CODES[DType.INT8.ordinal()] = 6;
        CODES[DType.UINT8.ordinal()] = 4;
        CODES[DType.INT16.ordinal()] = 5;
        CODES[DType.INT32.ordinal()] = 3;
        CODES[DType.INT64.ordinal()] = 9;
        CODES[DType.FLOAT16.ordinal()] = 19;
        CODES[DType.BFLOAT16.ordinal()] = 14;
        CODES[DType.FLOAT32.ordinal()] = 1;
        CODES[DType.FLOAT64.ordinal()] = 2;
    }

    /** Tensors over lent memory ({@link #lent}) that TensorFlow has not let go of yet. */
    private static final AtomicLong LENT_HELD = new AtomicLong();

    /**
     * What TensorFlow calls when it lets go of memory it was lent ({@link #lent}): nothing to free, the lender
     * frees it; counted, so that tests can assert that every lent tensor was deleted.
     */
    private static final Deallocator_Pointer_long_Pointer NOTHING_TO_FREE = (Deallocator_Pointer_long_Pointer)
            new Deallocator_Pointer_long_Pointer() {
                @Override
                public void call(Pointer data, long length, Pointer argument) {
                    LENT_HELD.decrementAndGet();
                }
            }.retainReference();

    private Tf() {
    }

    /** TensorFlow's code of {@code dtype}. */
    static int type(DType dtype) {
        return CODES[dtype.ordinal()];
    }

    /** Throws if TensorFlow reported an error in {@code status} while doing {@code what}. */
    static void check(TF_Status status, String what) {
        if (TF_GetCode(status) != TF_OK) {
            throw new TensorflowFailureException(what + " failed in TensorFlow (code " + TF_GetCode(status) + "): "
                    + TF_Message(status).getString());
        }
    }

    /** A new TensorFlow tensor of {@code bytes} bytes, contents unspecified; the caller deletes it. */
    static TF_Tensor allocate(DType dtype, long[] dims, long bytes) {
        TfShapes.requireHoldable(dims, dtype);
        TF_Tensor tensor = TF_AllocateTensor(type(dtype), dims, dims.length, bytes);
        if (tensor == null || tensor.isNull()) {
            throw new TensorflowFailureException("TensorFlow could not allocate a " + dtype.displayName() + " tensor of "
                    + bytes + " bytes");
        }
        return tensor;
    }

    /** A new TensorFlow tensor holding {@code bytes} (native order); the caller deletes it. */
    static TF_Tensor tensor(DType dtype, long[] dims, ByteBuffer bytes) {
        TF_Tensor tensor = allocate(dtype, dims, bytes.remaining());
        memory(TF_TensorData(tensor), bytes.remaining()).put(bytes.duplicate());
        return tensor;
    }

    /**
     * A TensorFlow tensor over {@code memory} (direct, native order, all of it), without a copy; the caller
     * deletes it ({@code TF_DeleteTensor}) and keeps the memory valid until TensorFlow is done with it. Not
     * {@code TF_Tensor.newTensor}, which registers each tensor with JavaCPP's deallocator registry (see
     * {@link CallArrays}).
     */
    static TF_Tensor lent(DType dtype, long[] dims, ByteBuffer memory) {
        TfShapes.requireHoldable(dims, dtype);
        LENT_HELD.incrementAndGet();
        TF_Tensor tensor = TF_NewTensor(type(dtype), dims, dims.length, new Pointer(memory), memory.capacity(),
                NOTHING_TO_FREE, null);
        if (tensor == null || tensor.isNull()) {
            throw new TensorflowFailureException("TensorFlow could not make a " + dtype.displayName() + " tensor over "
                    + memory.capacity() + " bytes of host memory");
        }
        return tensor;
    }

    /** How many tensors over lent memory TensorFlow still holds: 0 once every one was deleted and let go of. */
    static long lentHeld() {
        return LENT_HELD.get();
    }

    /** {@code bytes} of native memory at {@code data} as a buffer, native order, position 0. */
    static ByteBuffer memory(Pointer data, long bytes) {
        if (bytes == 0 || data == null || data.isNull()) {
            return ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());
        }
        return data.capacity(bytes).asByteBuffer().order(ByteOrder.nativeOrder());
    }
}
