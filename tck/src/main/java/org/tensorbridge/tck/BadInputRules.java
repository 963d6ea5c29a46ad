package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.DTypeMismatchException;
import org.tensorbridge.Device;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.Tensor;

/** Rules 7.x: the documented exception, naming the argument, for each kind of bad input. */
public interface BadInputRules extends KitContext {

    /** Asserts the exception type and that its message contains each of {@code named}. */
    private static <T extends Throwable> void rejects(Class<T> type, Executable call, String what, String... named) {
        T thrown = assertThrows(type, call, what);
        String message = String.valueOf(thrown.getMessage());
        for (String name : named) {
            assertTrue(message.contains(name), what + ": the message does not name '" + name + "': " + message);
        }
    }

    @Test
    @ConformanceRule("7.1")
    default void shapeMismatchesNameTheArgument() {
        try (Tensor a = fixtures().tensor(DType.FLOAT32, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
                Tensor b = fixtures().floats(1, 2, 3, 4)) {
            rejects(ShapeMismatchException.class, () -> a.add(b).close(), "add [2, 3] + [4]", "[2, 3]", "[4]");
            rejects(ShapeMismatchException.class, () -> a.matmul(a).close(), "matmul [2, 3] x [2, 3]", "matmul", "[2, 3]");
            rejects(ShapeMismatchException.class, () -> a.matmul(b).close(), "matmul of rank 1", "rank-2", "[4]");
            rejects(ShapeMismatchException.class, () -> a.reshape(4, 2).close(), "reshape 6 elements to [4, 2]",
                    "[2, 3]", "[4, 2]");
            rejects(ShapeMismatchException.class, () -> a.reshape(-1, -1).close(), "reshape with two -1", "-1");
        }
    }

    @Test
    @ConformanceRule("7.2")
    default void dtypeMismatchesNameTheArgumentAndACast() {
        boolean ints = declared().supports(DType.INT32);
        try (Tensor floats = fixtures().floats(1, 2);
                Tensor others = fixtures().tensor(ints ? DType.INT32 : DType.FLOAT64, Shape.of(2), 1, 2);
                HostArray host = floats.toHost()) {
            rejects(DTypeMismatchException.class, () -> floats.add(others).close(), "float32 + another dtype",
                    "float32", "cast");
            rejects(DTypeMismatchException.class, () -> host.getInt(0), "getInt on a float32 array", "float32");
            if (ints) {
                rejects(DTypeMismatchException.class, () -> others.add(1.5).close(), "int32 + 1.5", "scalar", "1.5");
            }
            if (declared().supports(DType.BOOL)) {
                try (Tensor flags = fixtures().tensor(DType.BOOL, Shape.of(2), 1, 0)) {
                    rejects(DTypeMismatchException.class, () -> flags.add(flags).close(), "bool + bool", "bool", "cast");
                }
            }
        }
    }

    @Test
    @ConformanceRule("7.3")
    default void tensorsOfAnotherBackendAreRefused() {
        Tensor foreign = new ForeignTensor();
        try (Tensor mine = fixtures().floats(1, 2)) {
            rejects(IllegalArgumentException.class, () -> mine.add(foreign).close(), "add(mine, foreign)", "b", "foreign");
            rejects(IllegalArgumentException.class, () -> backend().matmul(foreign, mine).close(), "matmul(foreign, mine)",
                    "a", "foreign");
        }
    }

    @Test
    @ConformanceRule("7.4")
    default void badBuffersAndIndicesChangeNothing() {
        ByteBuffer data = Elements.buffer(DType.FLOAT32, new double[] {1, 2, 3});
        data.position(4);
        rejects(ShapeMismatchException.class,
                () -> backend().fromBuffer(data, DType.FLOAT32, Shape.of(3), CopyPolicy.IF_NEEDED).close(),
                "8 bytes remaining for a float32[3]", "data", "12");
        assertEquals(4, data.position(), "a rejected fromBuffer moved the buffer's position");
        assertEquals(12, data.limit(), "a rejected fromBuffer moved the buffer's limit");
        try (Tensor tensor = fixtures().tensor(DType.FLOAT32, Shape.of(2, 2), 1, 2, 3, 4);
                HostArray host = tensor.toHost(CopyPolicy.ALWAYS, Access.WRITABLE)) {
            rejects(IndexOutOfBoundsException.class, () -> host.getFloat(2, 0), "index [2, 0] of [2, 2]", "index", "axis 0");
            rejects(IndexOutOfBoundsException.class, () -> host.getFloat(1), "a rank-1 index of a rank-2 array", "index",
                    "rank");
            rejects(IndexOutOfBoundsException.class, () -> host.setFloat(9f, 0, -1), "index [0, -1]", "index");
            rejects(IndexOutOfBoundsException.class, () -> host.copyTo(new float[3]), "copyTo a float[3]", "destination");
            assertEquals(1.0, host.getAsDouble(0, 0), "a rejected write changed the array");
        }
    }

    @Test
    @ConformanceRule("7.5")
    default void nullArgumentsAreNamed() {
        try (Tensor t = fixtures().floats(1, 2)) {
            rejects(NullPointerException.class, () -> backend().add(null, t), "add(null, t)", "a");
            rejects(NullPointerException.class, () -> backend().add(t, (Tensor) null), "add(t, null)", "b");
            rejects(NullPointerException.class, () -> backend().fromBuffer(null, DType.FLOAT32, Shape.of(1),
                    CopyPolicy.ALWAYS), "fromBuffer(null, ...)", "data");
            rejects(NullPointerException.class, () -> t.toHost(null, Access.READ_ONLY), "toHost(null, ...)", "policy");
            rejects(NullPointerException.class, () -> t.toHost(CopyPolicy.ALWAYS, null), "toHost(..., null)", "access");
            rejects(NullPointerException.class, () -> backend().fill(DType.FLOAT32, Shape.of(1), null), "fill(..., null)",
                    "value");
            rejects(NullPointerException.class, () -> t.cast(null), "cast(null)", "dtype");
        }
    }

    /** A tensor that claims to belong to a backend named {@code foreign}. */
    final class ForeignTensor implements Tensor {
        @Override
        public DType dtype() {
            return DType.FLOAT32;
        }

        @Override
        public Shape shape() {
            return Shape.of(2);
        }

        @Override
        public Device device() {
            return Device.cpu("foreign");
        }

        @Override
        public Backend backend() {
            return (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                    new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                        if (method.getName().equals("name")) {
                            return "foreign";
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        @Override
        public HostArray toHost(CopyPolicy policy, Access access) {
            throw new UnsupportedOperationException("a foreign tensor is never converted by the kit");
        }

        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public void close() {
        }
    }
}
