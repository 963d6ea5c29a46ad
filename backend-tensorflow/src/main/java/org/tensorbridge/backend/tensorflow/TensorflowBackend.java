package org.tensorbridge.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_DeleteContextOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewContext;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewContextOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Version;

import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.BackendSpec;
import org.tensorbridge.spi.HostSharing;
import org.tensorflow.internal.c_api.TFE_Context;
import org.tensorflow.internal.c_api.TFE_ContextOptions;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * The TensorFlow backend, on TensorFlow Java 1.1.0 (TensorFlow's C API through TensorFlow Java's bindings).
 *
 * <p><b>Memory</b> is TensorFlow tensors. Host views share TensorFlow's native memory ({@code NEVER} and
 * {@code IF_NEEDED} share, read-only unless {@code WRITABLE} is asked for, which is allowed: nothing but the
 * tensor refers to that memory) and keep it alive after the tensor is closed. A buffer from
 * {@code asByteBuffer()} must not be used after its host array is closed: TensorFlow frees the memory with the
 * last holder. TensorFlow adopts memory it did not allocate only if it is aligned for its kernels (it copies
 * it otherwise), so {@code fromBuffer} copies and {@code NEVER} is refused ({@code wrapsHostBuffers} is false).
 * Dtypes: those TensorFlow Java has types for: bool, uint8, int32, int64, float16, bfloat16, float32 and float64
 * (it has no int8 or int16).
 *
 * <p><b>Kernels</b> are TensorFlow's eager operations ({@link TfKernels}); their outputs become the results'
 * memory as they are, without a copy ({@code statistics().bytesCopied(op)} stays 0). An operation TensorFlow has
 * no kernel for, on a dtype, is refused with {@code TB-OP-UNSUPPORTED}; nothing runs on the host instead.
 *
 * <p><b>Graphs</b> are TensorFlow graphs run by TensorFlow sessions ({@link TfGraph}). Tensors of TensorFlow
 * Java move in and out without a copy through {@link TensorflowTensors}.
 *
 * <p>Thread-safe: TensorFlow's eager context runs operations from several threads at once. The context lives
 * as long as the JVM, as TensorFlow Java's default eager session does.
 */
public final class TensorflowBackend extends AbstractBackend {
    /** The name this backend registers under. */
    public static final String NAME = "tensorflow";

    private final TfMemory memory;

    private TensorflowBackend(BackendSpec spec, TfMemory memory) {
        super(spec);
        this.memory = memory;
    }

    /** A backend with an eager context of its own. */
    static TensorflowBackend create() {
        BackendSpec.Builder spec = BackendSpec.builder(NAME, Device.cpu("TensorFlow " + TF_Version().getString()
                + " on " + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores"));
        TFE_Context context = newContext();
        TfMemory memory = new TfMemory(spec.ledger());
        spec.dtypes(TfKernels.dtypes())
                .memory(ledger -> memory)
                .sharing(new HostSharing() {
                    @Override
                    public HostStorage share(Storage storage) {
                        return HostStorage.viewOf(storage, ((TfStorage) storage).sharedMemory(), false);
                    }

                    @Override
                    public HostStorage shareHeld(Storage held) {
                        return HostStorage.viewHolding(held, ((TfStorage) held).sharedMemory(), false);
                    }

                    @Override
                    public boolean writable() {
                        return true;
                    }
                })
                .kernels(new TfKernels(context, spec.ledger()).registry())
                .valueChecks(TfKernels.valueChecks())
                .graphs(backend -> new TfGraph((TensorflowBackend) backend));
        return new TensorflowBackend(spec.build(), memory);
    }

    TfMemory memory() {
        return memory;
    }

    /** A tensor of this backend over {@code storage}, taking over the caller's reference. */
    Tensor adopt(TfStorage storage, DType dtype, Shape shape) {
        return StorageAdoption.tensor(this, storage, dtype, shape);
    }

    private static TFE_Context newContext() {
        TF_Status status = TF_NewStatus();
        TFE_ContextOptions options = TFE_NewContextOptions();
        try {
            TFE_Context context = TFE_NewContext(options, status);
            Tf.check(status, "starting TensorFlow's eager runtime");
            return context;
        } finally {
            TFE_DeleteContextOptions(options);
            TF_DeleteStatus(status);
        }
    }
}
