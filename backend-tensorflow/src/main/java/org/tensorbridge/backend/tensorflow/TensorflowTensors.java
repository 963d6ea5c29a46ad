package org.tensorbridge.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewTensor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;
import org.tensorflow.RawTensor;
import org.tensorflow.internal.c_api.Deallocator_Pointer_long_Pointer;
import org.tensorflow.internal.c_api.TF_Tensor;
import org.tensorflow.types.family.TType;

/**
 * TensorFlow Java's tensors and the TensorFlow backend's, in both directions, without a copy: both sides are
 * TensorFlow tensors over one buffer, and each side closes its own.
 *
 * <ul>
 *   <li>{@link #fromTensorFlow}: a tensor a TensorFlow Java model returned (a {@code TFloat32}, say) as a
 *       tensorbridge {@link Tensor}. The result holds its own reference to TensorFlow's buffer: close the
 *       TensorFlow tensor whenever you like (or let its {@code EagerSession} close it), and close the
 *       tensorbridge tensor as usual; the memory lives until both are closed. Its host arrays then share that
 *       memory ({@code toHost(CopyPolicy.NEVER)} reports {@code SHARED}, 0 bytes copied).</li>
 *   <li>{@link #toTensorFlow}: a tensorbridge tensor as a TensorFlow Java tensor, to feed a TensorFlow Java
 *       session or model. It holds the tensor's memory until it is closed, even after the tensorbridge tensor is
 *       closed; the caller closes it.</li>
 * </ul>
 *
 * <p>Both sides see one buffer: a write through one (a writable host array, TensorFlow Java's data setters)
 * shows in the other. TensorFlow Java makes its tensors of native handles only inside its own package, so this
 * class reaches {@code RawTensor}'s handle methods by reflection: on the class path nothing is needed; on the
 * module path, open the package with {@code --add-opens org.tensorflow/org.tensorflow=ALL-UNNAMED} (or to this
 * module). Thread-safe.
 */
public final class TensorflowTensors {
    /** Host arrays kept open for tensors handed to TensorFlow Java, by the key TensorFlow gives back on release. */
    private static final Map<Long, HostArray> EXPORTED = new ConcurrentHashMap<>();
    private static final AtomicLong KEYS = new AtomicLong();
    /** Called by TensorFlow when the last reference to an exported buffer goes: closes its host array. */
    private static final Deallocator_Pointer_long_Pointer RELEASE = new Deallocator_Pointer_long_Pointer() {
        @Override
        public void call(Pointer data, long length, Pointer key) {
            HostArray held = EXPORTED.remove(key.address());
            if (held != null) {
                held.close();
            }
        }
    }.retainReference();

    private TensorflowTensors() {
    }

    /**
     * A tensor of {@code backend} (the TensorFlow backend) over {@code tensor}'s memory, without a copy.
     *
     * @throws IllegalArgumentException if {@code backend} is not the TensorFlow backend
     * @throws UnsupportedDTypeException if tensorbridge has no dtype for the tensor's (strings, uint16)
     * @throws IllegalStateException if {@code tensor} was closed
     */
    public static Tensor fromTensorFlow(Backend backend, org.tensorflow.Tensor tensor) {
        TensorflowBackend tf = tensorflow(backend, "backend");
        DType dtype = dtypeOf(tensor.dataType().getNumber(), tensor.dataType().name());
        TF_Tensor handle = (TF_Tensor) Handles.invoke(Handles.NATIVE_HANDLE, tensor.asRawTensor());
        return tf.adopt(tf.memory().adopt(handle), dtype, Shape.of(tensor.shape().asArray()));
    }

    /**
     * A TensorFlow Java tensor over {@code tensor}'s memory, without a copy: a {@code TFloat32} for a float32
     * tensor, and so on. The caller closes it.
     *
     * @throws IllegalArgumentException if {@code tensor} is not a tensor of the TensorFlow backend
     */
    public static TType toTensorFlow(Tensor tensor) {
        tensorflow(tensor.backend(), "tensor's backend");
        HostArray shared = tensor.toHost(CopyPolicy.NEVER, Access.WRITABLE);
        long key = KEYS.incrementAndGet();
        EXPORTED.put(key, shared);
        Pointer data = new Pointer(shared.asByteBuffer());
        long[] dims = tensor.shape().toArray();
        TF_Tensor alias = TF_NewTensor(Tf.type(tensor.dtype()), dims, dims.length, data, shared.byteSize(), RELEASE,
                new Pointer() {
                    {
                        address = key;
                    }
                });
        if (alias == null || alias.isNull()) {
            RELEASE.call(data, 0, new Pointer() {
                {
                    address = key;
                }
            });
            throw new TensorflowFailureException("TensorFlow refused a " + tensor.dtype().displayName() + tensor.shape()
                    + " tensor over tensorbridge's memory");
        }
        RawTensor raw = (RawTensor) Handles.invoke(Handles.FROM_HANDLE, alias.withDeallocator());
        return (TType) Handles.invoke(Handles.TYPED, raw);
    }

    private static TensorflowBackend tensorflow(Backend backend, String argument) {
        if (backend instanceof TensorflowBackend tf) {
            return tf;
        }
        throw new IllegalArgumentException(argument + " is backend '" + backend.name() + "', not the TensorFlow "
                + "backend; use Backends.get(\"" + TensorflowBackend.NAME + "\")");
    }

    private static DType dtypeOf(int code, String name) {
        for (DType dtype : TfKernels.dtypes()) {
            if (Tf.type(dtype) == code) {
                return dtype;
            }
        }
        throw new UnsupportedDTypeException("the TensorFlow tensor is " + name + ", which the TensorFlow backend does "
                + "not support; it supports " + TfKernels.dtypes() + ". Cast it in TensorFlow first");
    }

    /** TensorFlow Java's package-private bridges between its tensors and native handles, found once. */
    private static final class Handles {
        static final MethodHandle NATIVE_HANDLE;
        static final MethodHandle FROM_HANDLE;
        static final MethodHandle TYPED;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(RawTensor.class, MethodHandles.lookup());
                NATIVE_HANDLE = lookup.findVirtual(RawTensor.class, "nativeHandle", MethodType.methodType(TF_Tensor.class));
                FROM_HANDLE = lookup.findStatic(RawTensor.class, "fromHandle", MethodType.methodType(RawTensor.class,
                        TF_Tensor.class));
                TYPED = lookup.findVirtual(RawTensor.class, "asTypedTensor", MethodType.methodType(TType.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("TensorFlow Java's RawTensor handle methods (1.1.0) are not reachable: "
                        + e + ". On the module path, run with --add-opens org.tensorflow/org.tensorflow=ALL-UNNAMED", e);
            }
        }

        static Object invoke(MethodHandle handle, Object argument) {
            try {
                return handle.invoke(argument);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
