package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.vector.IntVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tensorbridge.Access;
import org.tensorbridge.Backend;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;

/** Rows of a column as host arrays of the CPU backend: use after close, double close, and reads racing with close. */
class RowLifetimeTest {
    @RegisterExtension
    final ArrowAllocatorExtension arrow = new ArrowAllocatorExtension();

    private final Backend cpu = TestMemory.cpu();

    private FixedShapeTensorVector column(int rows, int size) {
        FixedShapeTensorVector vector = FixedShapeTensorVector.create("t", FixedShapeTensorType.of(Shape.of(size)),
                DType.INT32, arrow.allocator());
        vector.allocateNew();
        IntVector elements = (IntVector) vector.elements();
        for (int i = 0; i < rows * size; i++) {
            elements.setSafe(i, i);
        }
        elements.setValueCount(rows * size);
        for (int r = 0; r < rows; r++) {
            vector.getUnderlyingVector().setNotNull(r);
        }
        vector.setValueCount(rows);
        return vector;
    }

    @Test
    void useAfterCloseThrowsAndClosingTwiceIsHarmless() {
        HostArray row;
        try (FixedShapeTensorVector vector = column(2, 3)) {
            row = vector.row(1, cpu, Access.READ_ONLY);
        }
        row.close();
        row.close();
        assertTrue(row.isClosed());
        assertThrows(ClosedResourceException.class, () -> row.getInt(0));
        assertThrows(ClosedResourceException.class, row::asByteBuffer);
        assertThrows(ClosedResourceException.class, row::toIntArray);
        assertEquals(Shape.of(3), row.shape(), "descriptive getters still answer");
        assertEquals(0, arrow.allocator().getAllocatedMemory());
    }

    @Test
    void readsRacingWithCloseSeeTheValueOrAClosedException() throws Exception {
        for (int round = 0; round < 200; round++) {
            HostArray row;
            try (FixedShapeTensorVector vector = column(4, 1024)) {
                row = vector.row(3, cpu, Access.READ_ONLY);
            }
            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread reader = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; ; i = (i + 1) % 1024) {
                            int value = row.getInt(i);
                            if (value != 3 * 1024 + i) {
                                failure.compareAndSet(null, new AssertionError("read " + value + " at " + i));
                                return;
                            }
                        }
                    } catch (ClosedResourceException expected) {
                        // The only other outcome the contract allows.
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            start.countDown();
            Thread.onSpinWait();
            row.close();
            for (Thread reader : readers) {
                reader.join(10_000);
            }
            if (failure.get() != null) {
                fail("round " + round, failure.get());
            }
            assertEquals(0, arrow.allocator().getAllocatedMemory(), "round " + round + ": the memory was released");
        }
    }
}
