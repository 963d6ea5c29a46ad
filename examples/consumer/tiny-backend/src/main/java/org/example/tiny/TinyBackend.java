package org.example.tiny;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import org.tensorbridge.Availability;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendCapabilities;
import org.tensorbridge.BackendProvider;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.Shape;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.BinaryOp;
import org.tensorbridge.spi.BroadcastStrides;
import org.tensorbridge.spi.ElementAccess;
import org.tensorbridge.spi.HostStorage;
import org.tensorbridge.spi.Operand;
import org.tensorbridge.spi.Storage;

/**
 * A backend written outside tensorbridge, as small as a conforming one can be: tensors in host memory
 * that the spi allocates, kernels as plain loops, integers computed in {@code long} (exact, wrapping as
 * Java does) and floats in {@code double} (rounded once to the result's dtype). The spi's base class
 * enforces the contract (policies, read-only views, closed state, validation, sparse tensors and graphs
 * over these kernels); host views share the tensor's memory read-only, as the declared capabilities say.
 * Thread-safe: kernels keep no state.
 */
public final class TinyBackend extends AbstractBackend {
    public TinyBackend() {
        super("tiny", Device.cpu("plain Java loops"), BackendCapabilities.builder().sharesHostMemory(true)
                .supportedDTypes(EnumSet.of(DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64)).build());
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

    private static ByteBuffer memory(Operand operand) {
        return ((HostStorage) operand.storage()).buffer();
    }

    @Override
    protected Storage allocate(long byteSize) {
        return HostStorage.allocate(byteSize, ledger());
    }

    @Override
    protected void upload(ByteBuffer source, Storage target) {
        ((HostStorage) target).buffer().put(source.duplicate());
    }

    @Override
    protected void download(Storage source, ByteBuffer target) {
        target.put(((HostStorage) source).buffer().limit(target.remaining()));
    }

    @Override
    protected void fill(Operand target, ByteBuffer element) {
        ByteBuffer memory = memory(target);
        for (int at = 0; at < target.byteSize(); at += element.remaining()) {
            memory.put(at, element, element.position(), element.remaining());
        }
    }

    @Override
    protected void elementwise(BinaryOp op, Operand a, Operand b, Operand result) {
        ByteBuffer x = memory(a);
        ByteBuffer y = memory(b);
        ByteBuffer out = memory(result);
        DType dtype = result.dtype();
        Shape shape = result.shape();
        long[] stridesX = BroadcastStrides.of(a.shape(), shape);
        long[] stridesY = BroadcastStrides.of(b.shape(), shape);
        long[] index = new long[shape.rank()];
        long atX = 0;
        long atY = 0;
        for (long at = 0; at < shape.elementCount(); at++) {
            if (dtype.isInteger()) {
                long left = ElementAccess.readLong(x, dtype, atX);
                long right = ElementAccess.readLong(y, dtype, atY);
                ElementAccess.writeLong(out, dtype, at, switch (op) {
                    case ADD -> left + right;
                    case SUBTRACT -> left - right;
                    case MULTIPLY -> left * right;
                    case DIVIDE -> left / right; // the base refuses a zero divisor before calling
                });
            } else {
                double left = ElementAccess.readDouble(x, dtype, atX);
                double right = ElementAccess.readDouble(y, dtype, atY);
                ElementAccess.writeDouble(out, dtype, at, switch (op) {
                    case ADD -> left + right;
                    case SUBTRACT -> left - right;
                    case MULTIPLY -> left * right;
                    case DIVIDE -> left / right;
                });
            }
            // The next result index in row-major order; each operand moves by its stride, 0 where broadcast.
            for (int axis = shape.rank() - 1; axis >= 0; axis--) {
                atX += stridesX[axis];
                atY += stridesY[axis];
                if (++index[axis] < shape.dim(axis)) {
                    break;
                }
                atX -= stridesX[axis] * index[axis];
                atY -= stridesY[axis] * index[axis];
                index[axis] = 0;
            }
        }
    }

    @Override
    protected void matmul(Operand a, Operand b, Operand result) {
        ByteBuffer x = memory(a);
        ByteBuffer y = memory(b);
        ByteBuffer out = memory(result);
        DType dtype = result.dtype();
        long m = a.shape().dim(0);
        long k = a.shape().dim(1);
        long n = b.shape().dim(1);
        for (long row = 0; row < m; row++) {
            for (long column = 0; column < n; column++) {
                long integerSum = 0;
                double sum = 0;
                for (long i = 0; i < k; i++) {
                    if (dtype.isInteger()) {
                        integerSum += ElementAccess.readLong(x, dtype, row * k + i) * ElementAccess.readLong(y, dtype, i * n + column);
                    } else {
                        sum += ElementAccess.readDouble(x, dtype, row * k + i) * ElementAccess.readDouble(y, dtype, i * n + column);
                    }
                }
                if (dtype.isInteger()) {
                    ElementAccess.writeLong(out, dtype, row * n + column, integerSum);
                } else {
                    ElementAccess.writeDouble(out, dtype, row * n + column, sum);
                }
            }
        }
    }

    @Override
    protected void cast(Operand source, Operand result) {
        ByteBuffer from = memory(source);
        ByteBuffer to = memory(result);
        boolean integers = source.dtype().isInteger() && result.dtype().isInteger();
        for (long at = 0; at < source.shape().elementCount(); at++) {
            if (integers) {
                ElementAccess.writeLong(to, result.dtype(), at, ElementAccess.readLong(from, source.dtype(), at));
            } else {
                ElementAccess.writeDouble(to, result.dtype(), at, ElementAccess.readDouble(from, source.dtype(), at));
            }
        }
    }
}
