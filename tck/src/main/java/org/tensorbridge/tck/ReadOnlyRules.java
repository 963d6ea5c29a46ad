package org.tensorbridge.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.tensorbridge.Access;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.ReadOnlyException;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/** Rules 2.x: read-only views stay read-only. */
public interface ReadOnlyRules extends KitContext {

    @Test
    @ConformanceRule("2.1")
    default void readOnlySettersThrowAndChangeNothing() {
        for (DType dtype : declared().supportedDTypes()) {
            double[] values = {1, 0, 1, 1};
            try (Tensor tensor = fixtures().tensor(dtype, Shape.of(2, 2), values);
                    HostArray host = tensor.toHost(CopyPolicy.IF_NEEDED, Access.READ_ONLY)) {
                Executable write = switch (dtype) {
                    case BOOL -> () -> host.setBoolean(false, 0, 0);
                    case INT8, UINT8 -> () -> host.setByte((byte) 9, 0, 0);
                    case INT16 -> () -> host.setShort((short) 9, 0, 0);
                    case INT32 -> () -> host.setInt(9, 0, 0);
                    case INT64 -> () -> host.setLong(9, 0, 0);
                    case FLOAT16, BFLOAT16, FLOAT32 -> () -> host.setFloat(9f, 0, 0);
                    case FLOAT64 -> () -> host.setDouble(9, 0, 0);
                };
                assertThrows(ReadOnlyException.class, write, "a setter of a read-only " + dtype.displayName()
                        + " host array (" + host.sharing() + ") did not throw ReadOnlyException");
                assertEquals(1.0, host.getAsDouble(0, 0), "a rejected write changed the " + dtype.displayName() + " array");
                assertEquals(1.0, fixtures().values(tensor)[0], "a rejected write changed the " + dtype.displayName()
                        + " tensor");
            }
        }
    }

    @Test
    @ConformanceRule("2.2")
    default void byteBufferMatchesAccess() {
        double[] values = {1, 2, 3, 4, 5, 6};
        try (Tensor tensor = fixtures().tensor(DType.FLOAT32, Shape.of(3, 2), values)) {
            for (Access access : Access.values()) {
                for (CopyPolicy policy : new CopyPolicy[] {CopyPolicy.IF_NEEDED, CopyPolicy.ALWAYS}) {
                    try (HostArray host = tensor.toHost(policy, access)) {
                        ByteBuffer buffer = host.asByteBuffer();
                        String label = policy + " + " + access + ": asByteBuffer()";
                        assertEquals(access == Access.READ_ONLY, buffer.isReadOnly(), label + " read-only flag");
                        assertTrue(buffer.isDirect(), label + " is not a direct buffer");
                        assertEquals(ByteOrder.nativeOrder(), buffer.order(), label + " byte order");
                        assertEquals(0, buffer.position(), label + " position");
                        assertEquals(values.length * Float.BYTES, buffer.limit(), label + " limit");
                        assertEquals(6f, buffer.getFloat(5 * Float.BYTES), label + " last element");
                        assertFalse(buffer == host.asByteBuffer(), label + " returned the same buffer object twice; "
                                + "positions would interfere");
                    }
                }
            }
        }
    }
}
