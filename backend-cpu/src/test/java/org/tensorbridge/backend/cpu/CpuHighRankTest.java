package org.tensorbridge.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Backend;
import org.tensorbridge.Backends;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Tensor;
import org.tensorbridge.tck.ChildJvm;

/**
 * Tensors of more dimensions than libnd4j's shape arrays hold (32): ND4J's sum, mean and transpose abort the JVM
 * on them (a buffer overflow in native code, measured from rank 34), so the CPU backend runs such calls on the
 * reference kernels. The operations run one after another in a child JVM, where an abort fails this test instead
 * of the test run (and hides the operations after it), and each must give the reference backend's values.
 */
class CpuHighRankTest {
    /** Operations that reach an ND4J kernel at a lower rank. */
    private static final Map<String, Function<Tensor, Tensor>> OPERATIONS = new LinkedHashMap<>();

    static {
        OPERATIONS.put("sum over axis 3", t -> t.sum(3));
        OPERATIONS.put("mean over axes 0 and 14", t -> t.mean(0, 14));
        OPERATIONS.put("transpose", t -> t.transpose());
        OPERATIONS.put("add", t -> t.add(t));
        OPERATIONS.put("multiply by a scalar", t -> t.multiply(3));
        OPERATIONS.put("exp", Tensor::exp);
        OPERATIONS.put("neg", Tensor::neg);
        OPERATIONS.put("cast to float64", t -> t.cast(DType.FLOAT64));
    }

    @Test
    void rankFortyGivesTheReferenceValuesWithoutAborting() throws Exception {
        String output = ChildJvm.run(Child.class, "40");

        for (String operation : OPERATIONS.keySet()) {
            assertTrue(output.contains(operation + ": same as the reference backend"),
                    () -> operation + " at rank 40 did not give the reference backend's values:\n" + output);
        }
    }

    /** Runs in the child JVM; prints what it is about to do before doing it. */
    static final class Child {
        public static void main(String[] args) {
            int rank = Integer.parseInt(args[0]);
            long[] dims = new long[rank];
            Arrays.fill(dims, 1);
            Arrays.fill(dims, 0, 15, 2);
            float[] values = new float[1 << 15];
            for (int i = 0; i < values.length; i++) {
                values[i] = (i % 97) * 0.25f - 7;
            }
            Backend cpu = Backends.get("cpu");
            Backend reference = Backends.get("reference");
            try (Tensor onCpu = cpu.constant(values, dims); Tensor onReference = reference.constant(values, dims)) {
                OPERATIONS.forEach((name, operation) -> {
                    ChildJvm.say(name + " at rank " + rank + " ...");
                    try (Tensor got = operation.apply(onCpu); Tensor expected = operation.apply(onReference);
                            HostArray gotValues = got.toHost(); HostArray expectedValues = expected.toHost()) {
                        boolean same = got.shape().equals(expected.shape())
                                && Arrays.equals(gotValues.convertToDoubleArray(),
                                        expectedValues.convertToDoubleArray());
                        ChildJvm.say(name + (same ? ": same as the reference backend"
                                : ": differs, " + got + " against " + expected));
                    }
                });
            }
        }
    }
}
