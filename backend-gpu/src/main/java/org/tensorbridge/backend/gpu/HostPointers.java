package org.tensorbridge.backend.gpu;

import java.nio.ByteBuffer;
import org.jocl.Pointer;

/**
 * JOCL pointers to the remaining bytes of a host buffer, for blocking transfers: a direct buffer is
 * used in place (through a slice, so its position is where the transfer starts whatever JOCL does
 * with positions), a heap buffer through its array and offset. A read-only heap buffer exposes no
 * array; it is first copied to a direct buffer, which is only valid as a transfer source.
 * Stateless and thread-safe.
 */
final class HostPointers {
    private HostPointers() {
    }

    static Pointer of(ByteBuffer buffer) {
        if (buffer.isDirect()) {
            return Pointer.to(buffer.slice());
        }
        if (buffer.hasArray()) {
            return Pointer.to(buffer.array()).withByteOffset(buffer.arrayOffset() + buffer.position());
        }
        ByteBuffer copy = ByteBuffer.allocateDirect(buffer.remaining());
        copy.put(buffer.duplicate()).flip();
        return Pointer.to(copy);
    }
}
