package org.tensorbridge.backend.tensorflow;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.memory.MemoryLedger;
import org.tensorbridge.op.Guard;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.op.ValueKind;
import org.tensorbridge.spi.KernelCall;
import org.tensorbridge.spi.KernelRegistry;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.spi.SparseOperand;
import org.tensorbridge.spi.SparseParts;
import org.tensorbridge.spi.ValueChecks;
import org.tensorflow.internal.c_api.TFE_Context;
import org.tensorflow.internal.c_api.TFE_TensorHandle;

/**
 * The TensorFlow backend's kernels: each runs {@link TfOperations}' form of its operation eagerly and
 * adopts TensorFlow's output as the result's memory, without a copy. Registered only on the dtypes that
 * TensorFlow has kernels for; every other operation and dtype is refused with {@code TB-OP-UNSUPPORTED}.
 * TensorFlow returns an input's own buffer for some operations (a transpose that moves no element, a
 * reduction over nothing); such a result is copied by TensorFlow ({@code DeepCopy}), since a result must
 * not alias its input. Thread-safe.
 */
final class TfKernels {
    private static final Set<DType> FLOATS = EnumSet.of(DType.FLOAT16, DType.BFLOAT16, DType.FLOAT32, DType.FLOAT64);
    private static final Set<DType> NUMBERS = EnumSet.of(DType.UINT8, DType.INT32, DType.INT64, DType.FLOAT16,
            DType.BFLOAT16, DType.FLOAT32, DType.FLOAT64);
    private static final Set<DType> ALL = EnumSet.of(DType.BOOL, DType.UINT8, DType.INT32, DType.INT64, DType.FLOAT16,
            DType.BFLOAT16, DType.FLOAT32, DType.FLOAT64);

    private final TFE_Context context;
    private final MemoryLedger ledger;

    TfKernels(TFE_Context context, MemoryLedger ledger) {
        this.context = context;
        this.ledger = ledger;
    }

    /** The dtypes TensorFlow Java has types for. */
    static Set<DType> dtypes() {
        return ALL;
    }

    KernelRegistry registry() {
        Set<DType> noUint8 = EnumSet.copyOf(NUMBERS);
        noUint8.remove(DType.UINT8);
        // float64 pow: TensorFlow flushes its subnormals, and there is no wider dtype to compute it exactly in.
        Set<DType> powers = EnumSet.copyOf(noUint8);
        powers.remove(DType.FLOAT64);
        KernelRegistry.Builder kernels = KernelRegistry.builder();
        for (Operation op : List.of(Operations.ADD, Operations.SUBTRACT, Operations.MULTIPLY, Operations.DIVIDE,
                Operations.MAXIMUM, Operations.MINIMUM, Operations.NEG, Operations.ABS, Operations.SUM, Operations.MAX,
                Operations.MIN, Operations.SPARSE_SUM)) {
            kernels.adopt(op, NUMBERS, this::dense);
        }
        for (Operation op : List.of(Operations.EXP, Operations.LOG, Operations.SQRT, Operations.TANH, Operations.MEAN)) {
            kernels.adopt(op, FLOATS, this::dense);
        }
        kernels.adopt(Operations.POW, powers, this::dense).adopt(Operations.MATMUL, noUint8, this::dense)
                .adopt(Operations.CAST, ALL, this::dense).adopt(Operations.TRANSPOSE, ALL, this::dense)
                .adopt(Operations.TO_DENSE, ALL, this::dense).adopt(Operations.SPARSE_MATMUL, NUMBERS, this::dense)
                .sparse(Operations.TO_SPARSE, ALL, this::sparse).sparse(Operations.COALESCE, NUMBERS, this::sparse)
                .sparse(Operations.SPARSE_TRANSPOSE, ALL, this::sparse)
                .sparse(Operations.SPARSE_ADD, EnumSet.of(DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64),
                        this::sparse);
        return StorageAdoption.register(kernels, ALL).build();
    }

    private TfStorage dense(KernelCall call) {
        try (EagerProgram tf = new EagerProgram(context)) {
            List<Object> in = inputs(tf, call);
            Operand first = call.operation().inputKinds().get(0) == ValueKind.SPARSE
                    ? call.sparseInput(0).values() : call.input(0);
            return adopt(tf, TfOperations.dense(tf, call.operation(), call.attributes(), in, first.dtype(),
                    first.shape().rank()), call);
        }
    }

    private SparseParts sparse(KernelCall call) {
        try (EagerProgram tf = new EagerProgram(context)) {
            List<Object> in = inputs(tf, call);
            DType dtype = call.operation() == Operations.TO_SPARSE ? call.input(0).dtype() : call.sparseInput(0).dtype();
            TfOperations.Sparse<TFE_TensorHandle> result = TfOperations.sparse(tf, call.operation(), in, dtype);
            TfStorage indices = adopt(tf, result.indices(), call);
            try {
                TfStorage values = adopt(tf, result.values(), call);
                long nnz = values.dims()[0];
                return new SparseParts(indices, values, nnz, canonical(indices.memory(), nnz, call.resultShape()));
            } catch (RuntimeException | Error e) {
                indices.release();
                throw e;
            }
        }
    }

    /** The handle of each input, shaped as the operand is (a reshaped view's memory keeps its first shape). */
    private static List<Object> inputs(EagerProgram tf, KernelCall call) {
        List<Object> in = new ArrayList<>();
        for (int i = 0; i < call.inputCount(); i++) {
            if (call.operation().inputKinds().get(i) == ValueKind.SPARSE) {
                SparseOperand s = call.sparseInput(i);
                in.add(new TfOperations.Sparse<>(handle(tf, s.indices()), handle(tf, s.values()),
                        tf.longs(s.denseShape().toArray())));
            } else {
                in.add(handle(tf, call.input(i)));
            }
        }
        return in;
    }

    private static TFE_TensorHandle handle(EagerProgram tf, Operand operand) {
        TfStorage storage = (TfStorage) operand.storage();
        long[] dims = operand.shape().toArray();
        return Arrays.equals(dims, storage.dims()) ? storage.handle() : tf.op("Reshape", storage.handle(), tf.longs(dims));
    }

    /** {@code result} as memory of this backend: TensorFlow's output itself, or its copy if it is an input's buffer. */
    private TfStorage adopt(EagerProgram tf, TFE_TensorHandle result, KernelCall call) {
        long address = tf.address(result);
        boolean aliases = false;
        for (int i = 0; i < call.inputCount(); i++) {
            boolean sparse = call.operation().inputKinds().get(i) == ValueKind.SPARSE;
            for (Operand operand : sparse ? List.of(call.sparseInput(i).indices(), call.sparseInput(i).values())
                    : List.of(call.input(i))) {
                aliases |= address != 0 && ((TfStorage) operand.storage()).address() == address;
            }
        }
        return TfStorage.adopt(tf.keep(aliases ? tf.op("DeepCopy", result) : result), ledger);
    }

    /** True if the {@code [nnz, rank]} indices are strictly increasing in row-major order: sorted, no duplicates. */
    static boolean canonical(ByteBuffer indices, long nnz, Shape shape) {
        int rank = shape.rank();
        for (long i = 1; i < nnz; i++) {
            int order = 0;
            for (int axis = 0; axis < rank && order == 0; axis++) {
                order = Long.compare(indices.getLong((int) (((i - 1) * rank + axis) * Long.BYTES)),
                        indices.getLong((int) ((i * rank + axis) * Long.BYTES)));
            }
            if (order >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The guards' checks (a zero divisor, a negative exponent), read in the tensor's own memory without a copy. */
    static ValueChecks valueChecks() {
        return (operand, condition) -> {
            ByteBuffer memory = ((TfStorage) operand.storage()).memory();
            int width = operand.dtype().byteWidth();
            for (long i = 0; i < operand.shape().elementCount(); i++) {
                int at = (int) (i * width);
                long value = switch (width) {
                    case 1 -> memory.get(at) & 0xff;
                    case 4 -> memory.getInt(at);
                    default -> memory.getLong(at);
                };
                if (condition == Guard.Condition.ZERO ? value == 0 : value < 0) {
                    return true;
                }
            }
            return false;
        };
    }
}
