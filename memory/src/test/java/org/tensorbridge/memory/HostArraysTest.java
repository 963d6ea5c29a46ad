package org.tensorbridge.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;

/** The factory derives every report from what it does, and refuses to make one that would be false. */
class HostArraysTest {
    private static final Device CPU = Device.cpu("test");
    private final MemoryLedger ledger = new MemoryLedger("HostArraysTest");

    @Test
    void aShareNeedsAnotherHolder() {
        HostStorage sole = HostStorage.allocate(8, ledger);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> HostArrays.share(sole, DType.INT32, Shape.of(2), CPU, true), "memory nobody else holds");
        assertTrue(e.getMessage().contains("another holder"), e.getMessage());
        assertEquals(0, ledger.liveBlocks(), "the refused reference is released");

        HostStorage held = HostStorage.allocate(8, ledger);
        held.retain();
        try (HostArray share = HostArrays.share(held, DType.INT32, Shape.of(2), CPU, true)) {
            assertEquals(Sharing.SHARED, share.sharing());
            assertEquals(0, share.bytesCopied());
        }
        held.release();
        assertEquals(0, ledger.liveBlocks());
    }

    @Test
    void aPinnedShareTakesThePinOverAndOutlivesItsTensor() {
        HostStorage tensorMemory = HostStorage.allocate(8, ledger);
        tensorMemory.retain(); // the conversion's pin
        HostArray share = HostArrays.sharePinned(tensorMemory, DType.INT32, Shape.of(2), CPU, true);
        assertEquals(2, tensorMemory.referenceCount(), "the tensor's reference and the pin the share took over");
        assertEquals(Sharing.SHARED, share.sharing());
        tensorMemory.release(); // the tensor is closed
        assertTrue(!tensorMemory.isReleased(), "the share keeps the memory alone");
        assertEquals(0, share.getInt(1));
        share.close();
        assertTrue(tensorMemory.isReleased(), "closing the share releases the pin's reference, once");
        assertEquals(0, ledger.liveBlocks());
    }

    @Test
    void aViewHoldingTheCallersReferenceTakesNoneOfItsOwn() {
        HostStorage engine = HostStorage.allocate(16, ledger);
        engine.retain(); // the caller's reference, passed on
        HostStorage view = HostStorage.viewHolding(engine, engine.transientBuffer(), false);
        assertEquals(2, engine.referenceCount(), "the engine's own reference and the one the view took over");
        view.release();
        assertEquals(1, engine.referenceCount(), "freeing the view released the taken-over reference once");

        engine.retain();
        ByteBuffer heap = ByteBuffer.allocate(16);
        assertThrows(IllegalArgumentException.class, () -> HostStorage.viewHolding(engine, heap, false));
        assertEquals(1, engine.referenceCount(), "a refused view releases the reference it was given");
        engine.release();
        assertEquals(0, ledger.liveBlocks());
    }

    @Test
    void aCopyReportsTheBytesItCopied() {
        try (HostArray copy = HostArrays.copy(DType.INT64, Shape.of(3), CPU, false, ledger,
                buffer -> buffer.asLongBuffer().put(new long[] {1, 2, 3}))) {
            assertEquals(Sharing.INDEPENDENT, copy.sharing());
            assertEquals(24, copy.bytesCopied());
            assertEquals("[1, 2, 3]", copy.formatValues());
        }
        assertEquals(0, ledger.liveBlocks());
    }

    @Test
    void onlyTheSoleHolderOfUnseenMemoryCanHandItOver() {
        HostStorage shared = HostStorage.allocate(8, ledger);
        shared.retain();
        assertThrows(IllegalStateException.class, () -> HostArrays.handOver(shared, DType.INT32, Shape.of(2), CPU),
                "a second holder would still see it");
        shared.release();

        HostStorage seen = HostStorage.allocate(8, ledger);
        ByteBuffer alias = seen.buffer();
        assertThrows(IllegalStateException.class, () -> HostArrays.handOver(seen, DType.INT32, Shape.of(2), CPU),
                "a buffer over it was handed out: someone may still write it");
        assertEquals(8, alias.capacity());

        HostStorage wrapped = HostStorage.wrap(ByteBuffer.allocateDirect(8), ledger);
        assertThrows(IllegalStateException.class, () -> HostArrays.handOver(wrapped, DType.INT32, Shape.of(2), CPU),
                "a caller's buffer is the caller's");

        HostStorage sole = HostStorage.allocate(8, ledger);
        try (HostArray array = HostArrays.handOver(sole, DType.INT32, Shape.of(2), CPU)) {
            assertEquals(Sharing.INDEPENDENT, array.sharing());
            assertEquals(0, array.bytesCopied());
            assertTrue(!array.isReadOnly());
        }
        assertEquals(0, ledger.liveBlocks());
    }

    @Test
    void aViewOfEngineMemoryIsCountedOnceAndHoldsItsBlock() {
        HostStorage engine = HostStorage.allocate(16, ledger);
        assertEquals(1, ledger.liveBlocks());
        HostStorage view = HostStorage.viewOf(engine, engine.transientBuffer(), false);
        assertEquals(1, ledger.liveBlocks(), "the view adds no second count of the same memory");
        assertEquals(16, ledger.liveBytes());
        engine.release();
        assertTrue(!engine.isReleased(), "the view keeps the engine's block alive");
        try (HostArray share = HostArrays.share(view, DType.FLOAT32, Shape.of(4), CPU, true)) {
            assertEquals(Sharing.SHARED, share.sharing(), "a view of engine memory is shared by definition");
        }
        assertTrue(engine.isReleased(), "closing the last view releases the engine's block exactly once");
        assertEquals(0, ledger.liveBlocks());
    }

    @Test
    void aViewIsHandedOverOnlyWhenItAloneHoldsTheEngineBlock() {
        HostStorage engine = HostStorage.allocate(16, ledger);
        HostStorage view = HostStorage.viewOf(engine, engine.transientBuffer(), false);
        assertTrue(!HostArrays.canHandOver(view, 1), "the engine block has another holder: the tensor");
        engine.release();
        assertTrue(HostArrays.canHandOver(view, 1), "the view is the engine block's only holder");
        try (HostArray array = HostArrays.handOver(view, DType.FLOAT32, Shape.of(4), CPU)) {
            assertEquals(Sharing.INDEPENDENT, array.sharing());
            assertEquals(0, array.bytesCopied());
        }
        assertTrue(engine.isReleased(), "closing the array released the engine block");
        assertEquals(0, ledger.liveBlocks());
    }
}
