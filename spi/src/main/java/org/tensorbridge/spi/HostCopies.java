package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorbridge.memory.HostStorage;

/**
 * An operand's bytes readable on the host for the length of one call: its own memory when that is host
 * memory, otherwise a copy downloaded through the backend's {@link Memory}. What the default value and
 * index checks read. Stateless.
 */
final class HostCopies {
    private HostCopies() {
    }

    /** The elements, native order, position 0, limit the operand's byte size; valid while the operand is pinned. */
    static ByteBuffer download(Memory memory, Operand operand) {
        int bytes = Math.toIntExact(operand.byteSize());
        if (operand.storage() instanceof HostStorage host) {
            return host.transientBuffer().limit(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer copy = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        memory.download(operand.storage(), copy.duplicate());
        return copy;
    }
}
