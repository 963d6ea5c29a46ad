package org.tensorbridge.backend.cpu;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import org.tensorbridge.DType;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.Operand;

/**
 * Elementwise add, subtract, multiply and (floating) divide in plain Java, for small tensors: there
 * ND4J's fixed cost per op (building views and dispatching through JavaCPP, tens of microseconds)
 * dwarfs the work. Results are the same bit for bit: IEEE arithmetic in the operands' own type, as
 * ND4J's kernels do, and two's-complement wrap-around for integers. Handles float32, float64, int32
 * and int64 where each operand has the result's shape or is a single element; everything else stays
 * with ND4J. Integer division never comes here ({@link IntegerDivision} does it). Stateless.
 */
final class JavaElementwise {
    private JavaElementwise() {
    }

    /** True if this class computes {@code a op b} into {@code result} of at most {@code limit} elements. */
    static boolean handles(Operation op, Operand a, Operand b, Operand result, long limit) {
        long n = result.shape().elementCount();
        if (n > limit) {
            return false;
        }
        DType dtype = result.dtype();
        boolean supported = dtype == DType.FLOAT32 || dtype == DType.FLOAT64
                || ((dtype == DType.INT32 || dtype == DType.INT64) && op != Operations.DIVIDE);
        return supported && fits(a, result) && fits(b, result);
    }

    private static boolean fits(Operand operand, Operand result) {
        return operand.shape().equals(result.shape()) || operand.shape().elementCount() == 1;
    }

    static void run(Operation op, Operand a, Operand b, Operand result) {
        int n = (int) result.shape().elementCount();
        boolean aScalar = a.shape().elementCount() == 1 && n != 1;
        boolean bScalar = b.shape().elementCount() == 1 && n != 1;
        ByteBuffer x = memory(a);
        ByteBuffer y = memory(b);
        ByteBuffer z = memory(result);
        switch (result.dtype()) {
            case FLOAT32 -> floats(op, x.asFloatBuffer(), aScalar, y.asFloatBuffer(), bScalar, z.asFloatBuffer(), n);
            case FLOAT64 -> doubles(op, x.asDoubleBuffer(), aScalar, y.asDoubleBuffer(), bScalar, z.asDoubleBuffer(), n);
            case INT32 -> ints(op, x.asIntBuffer(), aScalar, y.asIntBuffer(), bScalar, z.asIntBuffer(), n);
            case INT64 -> longs(op, x.asLongBuffer(), aScalar, y.asLongBuffer(), bScalar, z.asLongBuffer(), n);
            default -> throw new IllegalArgumentException("dtype " + result.dtype() + " is not handled here; check "
                    + "handles() first");
        }
    }

    private static ByteBuffer memory(Operand operand) {
        return ((HostStorage) operand.storage()).transientBuffer();
    }

    private static void floats(Operation op, FloatBuffer x, boolean xs, FloatBuffer y, boolean ys, FloatBuffer z, int n) {
        for (int i = 0; i < n; i++) {
            float l = x.get(xs ? 0 : i);
            float r = y.get(ys ? 0 : i);
            z.put(i, op == Operations.ADD ? l + r : op == Operations.SUBTRACT ? l - r : op == Operations.MULTIPLY ? l * r
                    : l / r);
        }
    }

    private static void doubles(Operation op, DoubleBuffer x, boolean xs, DoubleBuffer y, boolean ys, DoubleBuffer z,
            int n) {
        for (int i = 0; i < n; i++) {
            double l = x.get(xs ? 0 : i);
            double r = y.get(ys ? 0 : i);
            z.put(i, op == Operations.ADD ? l + r : op == Operations.SUBTRACT ? l - r : op == Operations.MULTIPLY ? l * r
                    : l / r);
        }
    }

    private static void ints(Operation op, IntBuffer x, boolean xs, IntBuffer y, boolean ys, IntBuffer z, int n) {
        for (int i = 0; i < n; i++) {
            int l = x.get(xs ? 0 : i);
            int r = y.get(ys ? 0 : i);
            z.put(i, op == Operations.ADD ? l + r : op == Operations.SUBTRACT ? l - r : l * r);
        }
    }

    private static void longs(Operation op, LongBuffer x, boolean xs, LongBuffer y, boolean ys, LongBuffer z, int n) {
        for (int i = 0; i < n; i++) {
            long l = x.get(xs ? 0 : i);
            long r = y.get(ys ? 0 : i);
            z.put(i, op == Operations.ADD ? l + r : op == Operations.SUBTRACT ? l - r : l * r);
        }
    }
}
