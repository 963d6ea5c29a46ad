package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.UnsupportedDTypeException;
import org.tensorbridge.op.Operations;

/** Rules 4.x: element types. */
public interface DTypeRules extends KitContext {

    @Test
    @ConformanceRule("4.1")
    default void declaredDTypesRoundTripTheirBytes() {
        for (DType dtype : declared().supportedDTypes()) {
            double[] values = fixtures().randomValues(fixtures().random("4.1" + dtype), dtype, 24, false);
            ByteBuffer input = Elements.buffer(dtype, values);
            try (Tensor tensor = backend().fromBuffer(input, dtype, Shape.of(2, 3, 4), CopyPolicy.ALWAYS)) {
                for (CopyPolicy policy : new CopyPolicy[] {CopyPolicy.IF_NEEDED, CopyPolicy.ALWAYS}) {
                    try (HostArray host = tensor.toHost(policy)) {
                        assertEquals(dtype, host.dtype(), "dtype of the host array");
                        ByteBuffer output = host.asByteBuffer();
                        for (int i = 0; i < values.length * dtype.byteWidth(); i++) {
                            assertEquals(input.get(i), output.get(i), dtype.displayName() + " byte " + i
                                    + " changed through the tensor (" + policy + ", seed " + fixtures().seed() + ")");
                        }
                    }
                }
            }
        }
    }

    @Test
    @ConformanceRule("4.2")
    default void undeclaredDTypesAreRefused() {
        Set<DType> undeclared = EnumSet.complementOf(EnumSet.copyOf(declared().supportedDTypes()));
        assumeFalse(undeclared.isEmpty(), "not applicable: the backend declares every dtype");
        for (DType dtype : undeclared) {
            assertThrows(UnsupportedDTypeException.class, () -> backend().zeros(dtype, Shape.of(2)).close(),
                    "zeros(" + dtype.displayName() + ") of an undeclared dtype");
            assertThrows(UnsupportedDTypeException.class, () -> backend().fromBuffer(
                    Elements.buffer(dtype, new double[] {1}), dtype, Shape.of(1), CopyPolicy.IF_NEEDED).close(),
                    "fromBuffer(" + dtype.displayName() + ") of an undeclared dtype");
        }
    }

    @Test
    @ConformanceRule("4.3")
    default void castConvertsBetweenEveryPair() {
        assumeTrue(declared().supports(Operations.CAST), "not applicable: the backend has no kernel for cast");
        for (DType from : declared().dtypesOf(Operations.CAST)) {
            for (DType to : declared().supportedDTypes()) {
                double[] input = castInputs(from, to);
                double[] expected = new double[input.length];
                for (int i = 0; i < input.length; i++) {
                    expected[i] = to == DType.BOOL ? (input[i] != 0 ? 1 : 0) : to.isInteger() ? (long) input[i] : input[i];
                }
                try (Tensor tensor = fixtures().tensor(from, Shape.of(input.length), input);
                        Tensor cast = tensor.cast(to)) {
                    assertEquals(to, cast.dtype(), "dtype after cast");
                    assertArrayEquals(expected, fixtures().values(cast), "cast " + from.displayName() + " -> "
                            + to.displayName() + " of " + java.util.Arrays.toString(input));
                }
            }
        }
    }

    /** Values both dtypes hold exactly (before truncation of fractions for float to integer). */
    private static double[] castInputs(DType from, DType to) {
        if (from == DType.BOOL || to == DType.BOOL && !from.isFloatingPoint()) {
            return from == DType.BOOL ? new double[] {0, 1, 1, 0} : new double[] {0, 1, 2, 0, 7};
        }
        boolean unsigned = from == DType.UINT8 || to == DType.UINT8 || to == DType.BOOL;
        if (from.isFloatingPoint()) {
            return unsigned ? new double[] {0, 1.5, 2.75, 100, 0.25} : new double[] {0, 1.5, -2.75, 100, -0.25};
        }
        return unsigned ? new double[] {0, 1, 2, 100, 127} : new double[] {0, 1, -2, 100, -128};
    }
}
