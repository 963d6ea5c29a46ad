package org.tensorbridge.backend.cpu;

import java.nio.ByteBuffer;
import java.util.Arrays;
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
        // A single-element operand is read at 0 (step 0); one of the result's shape at every index (step 1).
        int sa = a.shape().elementCount() == 1 ? 0 : 1;
        int sb = b.shape().elementCount() == 1 ? 0 : 1;
        ByteBuffer x = memory(a);
        ByteBuffer y = memory(b);
        ByteBuffer z = memory(result);
        int code = op == Operations.ADD ? 0 : op == Operations.SUBTRACT ? 1 : op == Operations.MULTIPLY ? 2 : 3;
        switch (result.dtype()) {
            case FLOAT32 -> floats(code, x, sa, y, sb, z, n);
            case FLOAT64 -> doubles(code, x, sa, y, sb, z, n);
            case INT32 -> ints(code, x, sa, y, sb, z, n);
            case INT64 -> longs(code, x, sa, y, sb, z, n);
            default -> throw new IllegalArgumentException("dtype " + result.dtype() + " is not handled here; check "
                    + "handles() first");
        }
    }

    private static ByteBuffer memory(Operand operand) {
        return ((HostStorage) operand.storage()).transientBuffer();
    }

    // Floating point goes through per-thread Java arrays: one bulk copy in per operand and one out are
    // cheaper than element-by-element buffer access, which the JIT does not vectorise. One loop per
    // operation, chosen outside it, so each loop is one instruction the JIT can vectorise.

    private static void floats(int code, ByteBuffer x, int sa, ByteBuffer y, int sb, ByteBuffer z, int n) {
        Scratch scratch = Scratch.PER_THREAD.get();
        float[] l = scratch.floats(0, n);
        float[] r = scratch.floats(1, n);
        read(x, sa, l, n);
        read(y, sb, r, n);
        switch (code) {
            case 0 -> {
                for (int i = 0; i < n; i++) {
                    l[i] += r[i];
                }
            }
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    l[i] -= r[i];
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    l[i] *= r[i];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    l[i] /= r[i];
                }
            }
        }
        z.asFloatBuffer().put(0, l, 0, n);
    }

    private static void doubles(int code, ByteBuffer x, int sa, ByteBuffer y, int sb, ByteBuffer z, int n) {
        Scratch scratch = Scratch.PER_THREAD.get();
        double[] l = scratch.doubles(0, n);
        double[] r = scratch.doubles(1, n);
        read(x, sa, l, n);
        read(y, sb, r, n);
        switch (code) {
            case 0 -> {
                for (int i = 0; i < n; i++) {
                    l[i] += r[i];
                }
            }
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    l[i] -= r[i];
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    l[i] *= r[i];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    l[i] /= r[i];
                }
            }
        }
        z.asDoubleBuffer().put(0, l, 0, n);
    }

    /** {@code n} elements of {@code from} into {@code to}; a single-element operand ({@code step} 0) repeated. */
    private static void read(ByteBuffer from, int step, float[] to, int n) {
        if (step == 0) {
            Arrays.fill(to, 0, n, from.getFloat(0));
        } else {
            from.asFloatBuffer().get(0, to, 0, n);
        }
    }

    private static void read(ByteBuffer from, int step, double[] to, int n) {
        if (step == 0) {
            Arrays.fill(to, 0, n, from.getDouble(0));
        } else {
            from.asDoubleBuffer().get(0, to, 0, n);
        }
    }

    /**
     * Two operand arrays per thread, grown to the largest call the thread made (at most the Java-kernel
     * limit, 16 K elements by default: 128 KiB of float64 per array).
     */
    private static final class Scratch {
        static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

        private final float[][] floats = {new float[0], new float[0]};
        private final double[][] doubles = {new double[0], new double[0]};

        float[] floats(int which, int n) {
            if (floats[which].length < n) {
                floats[which] = new float[n];
            }
            return floats[which];
        }

        double[] doubles(int which, int n) {
            if (doubles[which].length < n) {
                doubles[which] = new double[n];
            }
            return doubles[which];
        }
    }

    private static void ints(int code, ByteBuffer x, int sa, ByteBuffer y, int sb, ByteBuffer z, int n) {
        for (int i = 0; i < n; i++) {
            int l = x.getInt((i * sa) << 2);
            int r = y.getInt((i * sb) << 2);
            z.putInt(i << 2, code == 0 ? l + r : code == 1 ? l - r : l * r);
        }
    }

    private static void longs(int code, ByteBuffer x, int sa, ByteBuffer y, int sb, ByteBuffer z, int n) {
        for (int i = 0; i < n; i++) {
            long l = x.getLong((i * sa) << 3);
            long r = y.getLong((i * sb) << 3);
            z.putLong(i << 3, code == 0 ? l + r : code == 1 ? l - r : l * r);
        }
    }
}
