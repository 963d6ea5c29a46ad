package org.tensorbridge.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.tck.ChildJvm;

/**
 * Integer divisions that trap in hardware: x86's {@code idiv} raises SIGFPE for a zero divisor and
 * for the most negative value divided by -1, and a SIGFPE in ND4J's native kernel kills the JVM.
 * The contract allows no crash. Each scenario runs in a child JVM, so that a crash fails its test
 * instead of killing the test run.
 */
class CpuIntegerDivisionCrashTest {
    private static final List<DType> SIGNED_INTEGERS = List.of(DType.INT8, DType.INT16, DType.INT32, DType.INT64);

    @Test
    void minimumDividedByMinusOneGivesTheMinimumOrArithmeticExceptionWithoutCrashing() throws Exception {
        String output = ChildJvm.run(Child.class, "minimumByMinusOne");

        for (DType dtype : SIGNED_INTEGERS) {
            for (String form : List.of("tensor", "scalar")) {
                String line = dtype.displayName() + " " + form + ": ";
                assertTrue(output.contains(line + "[" + minimum(dtype) + ", " + minimum(dtype) + "]")
                                || output.contains(line + "ArithmeticException"),
                        () -> "expected " + line + "the minimum again (as in Java) or an ArithmeticException in:\n"
                                + output);
            }
        }
    }

    @Test
    void divisorWhoseMemoryAnotherThreadWritesNeverCrashes() throws Exception {
        String output = ChildJvm.run(Child.class, "racingDivisor");

        assertTrue(output.contains("racing divisor: survived"), output);
    }

    static long minimum(DType dtype) {
        return switch (dtype) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> throw new IllegalArgumentException(dtype.toString());
        };
    }

    /** Runs in the child JVM; prints what it is about to do before doing it. */
    static final class Child {
        public static void main(String[] args) throws Exception {
            Backend cpu = Backends.get("cpu");
            switch (args[0]) {
                case "minimumByMinusOne" -> minimumByMinusOne(cpu);
                case "racingDivisor" -> racingDivisor(cpu);
                default -> throw new IllegalArgumentException(args[0]);
            }
        }

        private static void minimumByMinusOne(Backend cpu) {
            for (DType dtype : SIGNED_INTEGERS) {
                try (Tensor min = cpu.fill(dtype, Shape.of(2), minimum(dtype));
                        Tensor minusOne = cpu.fill(dtype, Shape.of(2), -1)) {
                    divide(dtype.displayName() + " tensor: ", () -> min.divide(minusOne));
                    divide(dtype.displayName() + " scalar: ", () -> min.divide(-1));
                }
            }
        }

        private static void divide(String label, Supplier<Tensor> division) {
            ChildJvm.say("dividing the minimum by -1 for " + label);
            try (Tensor result = division.get(); HostArray values = result.toHost()) {
                ChildJvm.say(label + values.formatValues());
            } catch (ArithmeticException e) {
                ChildJvm.say(label + "ArithmeticException " + e.getMessage());
            }
        }

        /**
         * A divisor wrapping a caller's buffer, one element of which another thread flips between 1
         * and 0 (a data race, but one that must not kill the process). Each division must give a
         * result or throw ArithmeticException.
         */
        private static void racingDivisor(Backend cpu) {
            int n = 1024;
            ByteBuffer memory = ByteBuffer.allocateDirect(n * Integer.BYTES).order(ByteOrder.nativeOrder());
            for (int i = 0; i < n; i++) {
                memory.putInt(i * Integer.BYTES, 1);
            }
            Thread flipper = new Thread(() -> {
                int value = 0;
                while (true) {
                    value ^= 1;
                    memory.putInt((n - 1) * Integer.BYTES, value);
                    for (int spin = 0; spin < 50; spin++) {
                        Thread.onSpinWait();
                    }
                }
            });
            flipper.setDaemon(true);
            try (Tensor divisor = cpu.fromBuffer(memory, DType.INT32, Shape.of(n), CopyPolicy.NEVER);
                    Tensor dividend = cpu.fill(DType.INT32, Shape.of(n), 7)) {
                flipper.start();
                ChildJvm.say("dividing by a divisor that another thread writes ...");
                long divided = 0;
                long refused = 0;
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() < end) {
                    try {
                        dividend.divide(divisor).close();
                        divided++;
                    } catch (ArithmeticException e) {
                        refused++;
                    }
                }
                ChildJvm.say("racing divisor: survived " + divided + " divisions, " + refused + " refused");
            }
        }
    }
}
