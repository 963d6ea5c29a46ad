package org.example.tiny;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendProvider;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.memory.ElementAccess;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.op.ElementMath;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.BackendSpec;
import org.tensorbridge.spi.BroadcastStrides;
import org.tensorbridge.spi.HostMemory;
import org.tensorbridge.spi.HostSharing;
import org.tensorbridge.spi.HostSparseKernels;
import org.tensorbridge.spi.KernelCall;
import org.tensorbridge.spi.KernelRegistry;
import org.tensorbridge.spi.Operand;

/**
 * A backend written outside tensorbridge, as small as a conforming one can be: tensors in host memory
 * (the spi's {@link HostMemory}), read-only host views, and kernels for the binary arithmetic operations
 * only, as plain loops over each operation's own {@link ElementMath}; sparse operations come from the
 * spi's host kernels. Every other operation is refused with {@code TB-OP-UNSUPPORTED}, and the kit's rules
 * for them are not applicable. Thread-safe: kernels keep no state.
 */
public final class TinyBackend extends AbstractBackend {
    private static final Set<DType> DTYPES = EnumSet.of(DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64);

    public TinyBackend() {
        super(BackendSpec.builder("tiny", Device.cpu("plain Java loops"))
                .dtypes(DTYPES)
                .memory(ledger -> new HostMemory(ledger, false))
                .sharing(HostSharing.ofHostStorage(false))
                .kernels(KernelRegistry.builder().include(HostSparseKernels.registry())
                        .overwrite(Operations.ADD, DTYPES, TinyBackend::binary)
                        .overwrite(Operations.SUBTRACT, DTYPES, TinyBackend::binary)
                        .overwrite(Operations.MULTIPLY, DTYPES, TinyBackend::binary)
                        .overwrite(Operations.DIVIDE, DTYPES, TinyBackend::binary)
                        .build())
                .build());
    }

    /** What {@code ServiceLoader} finds, through {@code META-INF/services/org.tensorbridge.BackendProvider}. */
    public static final class Provider implements BackendProvider {
        @Override
        public String name() {
            return "tiny";
        }

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public Availability probe() {
            return Availability.available();
        }

        @Override
        public Backend create() {
            return new TinyBackend();
        }
    }

    /** {@code a op b} with NumPy broadcasting: integers in long (wrapping), floats in double, rounded once. */
    private static void binary(KernelCall call, Operand result) {
        ElementMath math = call.operation().elementMath();
        Operand a = call.input(0);
        Operand b = call.input(1);
        ByteBuffer x = ((HostStorage) a.storage()).transientBuffer();
        ByteBuffer y = ((HostStorage) b.storage()).transientBuffer();
        ByteBuffer z = ((HostStorage) result.storage()).transientBuffer();
        DType dtype = result.dtype();
        long[] strideA = BroadcastStrides.of(a.shape(), result.shape());
        long[] strideB = BroadcastStrides.of(b.shape(), result.shape());
        int rank = result.shape().rank();
        long[] counter = new long[rank];
        long at = 0;
        long bt = 0;
        for (long i = 0; i < result.shape().elementCount(); i++) {
            if (dtype.isFloatingPoint()) {
                ElementAccess.writeDouble(z, dtype, i, math.floating(ElementAccess.readDouble(x, dtype, at),
                        ElementAccess.readDouble(y, dtype, bt)));
            } else {
                ElementAccess.writeLong(z, dtype, i, math.integer(ElementAccess.readLong(x, dtype, at),
                        ElementAccess.readLong(y, dtype, bt)));
            }
            for (int axis = rank - 1; axis >= 0; axis--) {
                counter[axis]++;
                at += strideA[axis];
                bt += strideB[axis];
                if (counter[axis] < result.shape().dim(axis)) {
                    break;
                }
                at -= strideA[axis] * counter[axis];
                bt -= strideB[axis] * counter[axis];
                counter[axis] = 0;
            }
        }
    }
}
