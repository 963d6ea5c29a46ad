package org.example.plain;

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
 * A backend written outside tensorbridge, compiled and packed into a jar by the kit's certification test
 * (this folder is no source root of the build): tensors in host memory, read-only host views, plain-loop
 * kernels for the four arithmetic operations, matmul and cast; sparse operations from the spi's host
 * kernels. Every other operation is refused with TB-OP-UNSUPPORTED. Thread-safe: kernels keep no state.
 */
public final class PlainBackend extends AbstractBackend {
    private static final Set<DType> DTYPES = EnumSet.of(DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64);

    public PlainBackend() {
        super(BackendSpec.builder("plain", Device.cpu("plain loops, from a jar"))
                .dtypes(DTYPES)
                .memory(ledger -> new HostMemory(ledger, false))
                .sharing(HostSharing.ofHostStorage(false))
                .kernels(KernelRegistry.builder().include(HostSparseKernels.registry())
                        .overwrite(Operations.ADD, DTYPES, PlainBackend::binary)
                        .overwrite(Operations.SUBTRACT, DTYPES, PlainBackend::binary)
                        .overwrite(Operations.MULTIPLY, DTYPES, PlainBackend::binary)
                        .overwrite(Operations.DIVIDE, DTYPES, PlainBackend::binary)
                        .write(Operations.MATMUL, DTYPES, PlainBackend::matmul)
                        .overwrite(Operations.CAST, DTYPES, PlainBackend::cast)
                        .build())
                .build());
    }

    /** What ServiceLoader finds, through META-INF/services/org.tensorbridge.BackendProvider. */
    public static final class Provider implements BackendProvider {
        @Override
        public String name() {
            return "plain";
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
            return new PlainBackend();
        }
    }

    private static ByteBuffer memory(Operand operand) {
        return ((HostStorage) operand.storage()).transientBuffer();
    }

    /** a op b with NumPy broadcasting: integers in long (wrapping), floats in double, rounded once. */
    private static void binary(KernelCall call, Operand result) {
        ElementMath math = call.operation().elementMath();
        Operand a = call.input(0);
        Operand b = call.input(1);
        ByteBuffer x = memory(a);
        ByteBuffer y = memory(b);
        ByteBuffer z = memory(result);
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

    /** [m, k] x [k, n]: integers in long (wrapping), floats accumulated in double and rounded once. */
    private static void matmul(KernelCall call, Operand result) {
        Operand a = call.input(0);
        Operand b = call.input(1);
        ByteBuffer x = memory(a);
        ByteBuffer y = memory(b);
        ByteBuffer z = memory(result);
        DType dtype = result.dtype();
        long m = a.shape().dim(0);
        long k = a.shape().dim(1);
        long n = b.shape().dim(1);
        for (long row = 0; row < m; row++) {
            for (long col = 0; col < n; col++) {
                if (dtype.isFloatingPoint()) {
                    double sum = 0;
                    for (long p = 0; p < k; p++) {
                        sum += ElementAccess.readDouble(x, dtype, row * k + p) * ElementAccess.readDouble(y, dtype, p * n + col);
                    }
                    ElementAccess.writeDouble(z, dtype, row * n + col, sum);
                } else {
                    long sum = 0;
                    for (long p = 0; p < k; p++) {
                        sum += ElementAccess.readLong(x, dtype, row * k + p) * ElementAccess.readLong(y, dtype, p * n + col);
                    }
                    ElementAccess.writeLong(z, dtype, row * n + col, sum);
                }
            }
        }
    }

    /** Java's conversions: (int) or (long) from floating, low bits between integers, rounded once to floating. */
    private static void cast(KernelCall call, Operand result) {
        Operand a = call.input(0);
        DType from = a.dtype();
        DType to = result.dtype();
        ByteBuffer x = memory(a);
        ByteBuffer z = memory(result);
        for (long i = 0; i < result.shape().elementCount(); i++) {
            if (from.isFloatingPoint()) {
                double v = ElementAccess.readDouble(x, from, i);
                if (to.isFloatingPoint()) {
                    ElementAccess.writeDouble(z, to, i, v);
                } else {
                    ElementAccess.writeLong(z, to, i, to == DType.INT64 ? (long) v : (int) v);
                }
            } else {
                long v = ElementAccess.readLong(x, from, i);
                if (to == DType.FLOAT32) {
                    z.putFloat(Math.toIntExact(i * Float.BYTES), (float) v);
                } else if (to.isFloatingPoint()) {
                    ElementAccess.writeDouble(z, to, i, (double) v);
                } else {
                    ElementAccess.writeLong(z, to, i, v);
                }
            }
        }
    }
}
