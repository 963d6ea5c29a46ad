package org.tensorbridge.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/**
 * HostStorage: the size limits of allocate, and wrap's zero-copy aliasing of a caller's direct
 * buffer without disturbing it.
 */
class HostStorageTest {
    private final MemoryLedger ledger = new MemoryLedger("host storage test");

    @Test
    void allocateRefusesANegativeSizeNamingByteSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostStorage.allocate(-1, ledger));
        assertTrue(e.getMessage().contains("byteSize is -1"), e.getMessage());
        assertEquals(0, ledger.allocatedBlocks(), "a refused allocation is not counted");
    }

    @Test
    void allocateRefusesMoreThanIntegerMaxValueBytesNamingByteSize() {
        long tooBig = Integer.MAX_VALUE + 1L;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostStorage.allocate(tooBig, ledger));
        assertTrue(e.getMessage().contains("byteSize is " + tooBig), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(Integer.MAX_VALUE)), e.getMessage());
        assertEquals(0, ledger.allocatedBlocks());
    }

    @Test
    void allocateGivesZeroedWritableDirectMemoryCountedInTheLedger() {
        HostStorage storage = HostStorage.allocate(24, ledger);
        assertEquals(24, storage.byteSize());
        assertEquals(1, storage.referenceCount());
        assertFalse(storage.isReadOnly());
        assertEquals(1, ledger.liveBlocks());
        assertEquals(24, ledger.liveBytes());
        ByteBuffer buffer = storage.buffer();
        assertTrue(buffer.isDirect());
        assertFalse(buffer.isReadOnly());
        assertEquals(0, buffer.position());
        assertEquals(24, buffer.limit());
        assertEquals(24, buffer.capacity());
        for (int i = 0; i < 24; i++) {
            assertEquals(0, buffer.get(i), "byte " + i);
        }
        storage.release();
        assertEquals(0, ledger.liveBlocks());
        assertEquals(0, ledger.liveBytes());
    }

    @Test
    void allocateOfZeroBytesIsAllowed() {
        HostStorage storage = HostStorage.allocate(0, ledger);
        assertEquals(0, storage.byteSize());
        assertEquals(0, storage.buffer().capacity());
        storage.release();
    }

    @Test
    void wrapRefusesAHeapBufferNamingBuffer() {
        ByteBuffer heap = ByteBuffer.allocate(16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostStorage.wrap(heap, ledger));
        assertTrue(e.getMessage().startsWith("buffer is a heap buffer"), e.getMessage());
        assertEquals(0, ledger.allocatedBlocks());
    }

    @Test
    void wrapLeavesTheCallersPositionLimitAndOrderUntouched() {
        ByteBuffer caller = ByteBuffer.allocateDirect(32).order(ByteOrder.LITTLE_ENDIAN);
        caller.position(8).limit(24);
        HostStorage storage = HostStorage.wrap(caller, ledger);
        assertEquals(8, caller.position());
        assertEquals(24, caller.limit());
        assertEquals(32, caller.capacity());
        assertEquals(ByteOrder.LITTLE_ENDIAN, caller.order());

        // The block is exactly the remaining bytes.
        assertEquals(16, storage.byteSize());
        assertEquals(16, ledger.liveBytes());
        storage.buffer().position(4).limit(5);
        assertEquals(8, caller.position(), "moving buffer() must not move the caller's buffer");
        assertEquals(24, caller.limit());
        storage.release();
        assertEquals(8, caller.position(), "release must not move the caller's buffer");
        assertEquals(24, caller.limit());
    }

    @Test
    void wrapAliasesTheCallersMemoryInBothDirections() {
        ByteBuffer caller = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
        caller.position(8).limit(24);
        HostStorage storage = HostStorage.wrap(caller, ledger);

        // A write through the caller's buffer is visible at the block's start.
        caller.putInt(8, 0x12345678);
        caller.put(23, (byte) 7);
        ByteBuffer view = storage.buffer();
        assertEquals(0x12345678, view.getInt(0));
        assertEquals(7, view.get(15));

        // And a write through the block is visible to the caller.
        view.putLong(4, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, caller.getLong(12));

        // The block is exactly the caller's bytes 8 to 23, byte for byte.
        for (int i = 0; i < caller.limit(); i++) {
            caller.put(i, (byte) (i + 1));
        }
        assertEquals(16, view.capacity());
        for (int i = 0; i < 16; i++) {
            assertEquals(i + 9, view.get(i), "block byte " + i + " is caller byte " + (i + 8));
        }
        storage.release();
    }

    @Test
    void wrapOfAWritableBufferIsWritable() {
        HostStorage storage = HostStorage.wrap(ByteBuffer.allocateDirect(8), ledger);
        assertFalse(storage.isReadOnly());
        assertFalse(storage.buffer().isReadOnly());
        storage.release();
    }

    @Test
    void wrapOfAReadOnlyBufferIsReadOnlyAndItsBufferRefusesWrites() {
        ByteBuffer caller = ByteBuffer.allocateDirect(8);
        caller.putInt(0, 42);
        ByteBuffer readOnly = caller.asReadOnlyBuffer();
        HostStorage storage = HostStorage.wrap(readOnly, ledger);
        assertTrue(storage.isReadOnly());
        ByteBuffer view = storage.buffer();
        assertTrue(view.isReadOnly());
        assertThrows(ReadOnlyBufferException.class, () -> view.put(0, (byte) 1));
        // Still an alias: the writable original's writes show through.
        caller.putInt(4, 0x01020304);
        assertEquals(0x01020304, storage.buffer().order(caller.order()).getInt(4));
        storage.release();
    }

    @Test
    void bufferIsNativeOrderPositionZeroAndANewObjectEachCall() {
        HostStorage storage = HostStorage.wrap(ByteBuffer.allocateDirect(16).order(nonNativeOrder()), ledger);
        ByteBuffer first = storage.buffer();
        ByteBuffer second = storage.buffer();
        assertNotSame(first, second);
        assertEquals(ByteOrder.nativeOrder(), first.order());
        assertEquals(ByteOrder.nativeOrder(), second.order());
        assertTrue(first.isDirect());

        first.position(8).limit(12);
        ByteBuffer third = storage.buffer();
        assertEquals(0, third.position(), "positions of earlier buffers must not leak into new ones");
        assertEquals(16, third.limit());
        assertEquals(0, second.position());
        assertEquals(16, second.limit());

        first.putInt(8, 77);
        assertEquals(77, third.getInt(8), "every buffer views the same memory");
        storage.release();
    }

    @Test
    void freeingHostStorageLeavesOutstandingBuffersReadable() {
        HostStorage storage = HostStorage.allocate(8, ledger);
        ByteBuffer held = storage.buffer();
        held.putLong(0, 5L);
        storage.release();
        assertTrue(storage.isReleased());
        assertEquals(5L, held.getLong(0), "a buffer obtained before release stays readable (stale but safe)");
        assertEquals(0, ledger.liveBlocks());
    }

    private static ByteOrder nonNativeOrder() {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }
}
