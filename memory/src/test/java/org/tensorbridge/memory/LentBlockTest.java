package org.tensorbridge.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Sharing;

/**
 * Host memory a backend lends for a copy ({@link HostStorage#lentForCopy}): the lender hears exactly once
 * how its block comes back (reusable, or abandoned because a buffer over it escaped), and
 * {@link HostArrays#copyInto} reports an independent copy only over fresh memory.
 */
class LentBlockTest {
    private static final Device DEVICE = Device.cpu("test cpu");
    private final MemoryLedger ledger = new MemoryLedger("lent block test");
    private final List<String> returns = new ArrayList<>();
    private final LentBlock lender = new LentBlock() {
        @Override
        public void reuse() {
            returns.add("reuse");
        }

        @Override
        public void abandon() {
            returns.add("abandon");
        }
    };

    @AfterEach
    void everyBlockWasReleased() {
        assertEquals(0, ledger.liveBlocks(), ledger.toString());
    }

    private HostArray copyOf(long value) {
        HostStorage fresh = HostStorage.lentForCopy(ByteBuffer.allocateDirect(64), ledger, lender);
        return HostArrays.copyInto(fresh, DType.INT64, Shape.of(8), DEVICE, true, target -> {
            while (target.hasRemaining()) {
                target.putLong(value);
            }
        });
    }

    @Test
    void anUnseenBlockComesBackForReuseOnce() {
        HostArray copy = copyOf(3);
        assertEquals(Sharing.INDEPENDENT, copy.sharing());
        assertEquals(64, copy.bytesCopied());
        assertEquals(3, copy.getLong(7));
        copy.close();
        copy.close();
        assertEquals(List.of("reuse"), returns);
    }

    @Test
    void aBlockWhoseBufferEscapedIsAbandoned() {
        HostArray copy = copyOf(4);
        ByteBuffer escaped = copy.asByteBuffer();
        copy.close();
        assertEquals(List.of("abandon"), returns);
        assertEquals(4, escaped.getLong(0));
    }

    @Test
    void copyIntoRefusesMemoryThatIsNotFresh() {
        HostStorage seen = HostStorage.lentForCopy(ByteBuffer.allocateDirect(64), ledger, lender);
        seen.buffer();
        assertThrows(IllegalArgumentException.class,
                () -> HostArrays.copyInto(seen, DType.INT64, Shape.of(8), DEVICE, true, target -> { }));
        HostStorage shared = HostStorage.allocateForCopy(64, ledger);
        shared.retain();
        assertThrows(IllegalArgumentException.class,
                () -> HostArrays.copyInto(shared, DType.INT64, Shape.of(8), DEVICE, true, target -> { }));
        shared.release();
        HostStorage small = HostStorage.allocateForCopy(8, ledger);
        assertThrows(IllegalArgumentException.class,
                () -> HostArrays.copyInto(small, DType.INT64, Shape.of(8), DEVICE, true, target -> { }));
        assertEquals(List.of("abandon"), returns, "the refused seen block came back as abandoned");
        assertThrows(IllegalArgumentException.class,
                () -> HostStorage.lentForCopy(ByteBuffer.allocate(8), ledger, lender));
    }
}
