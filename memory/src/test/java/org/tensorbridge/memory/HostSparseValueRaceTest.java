package org.tensorbridge.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.tensorbridge.ClosedResourceException;
import org.tensorbridge.CsrValue;
import org.tensorbridge.DType;
import org.tensorbridge.Device;
import org.tensorbridge.Shape;

/**
 * {@code toCsr()} racing {@code close()} of a sparse value over another library's memory: each call gives the
 * right CSR arrays or throws {@link ClosedResourceException}, and never reads the memory after its owner took
 * it back. The owner here overwrites the bytes when it is closed, as a freed and reused block would hold other
 * data: a read after release shows as wrong row pointers, columns or values, or as an exception of another
 * type.
 */
class HostSparseValueRaceTest {
    private static final Device CPU = Device.cpu("test cpu");
    private static final int ROWS = 64;
    private static final int NNZ = 256;
    private final MemoryLedger ledger = new MemoryLedger("host sparse value race test");

    @Test
    void toCsrRacingCloseGivesTheRightArraysOrClosedResourceException() throws Exception {
        int converted = 0;
        int refused = 0;
        for (int round = 0; round < 3000; round++) {
            // Entries in row order on even rounds (CSR shares the values), rows reversed on odd ones (CSR copies them).
            boolean byRow = round % 2 == 0;
            HostSparseValue value = foreignSparseValue(byRow);
            CountDownLatch ready = new CountDownLatch(1);
            int spins = round % 200;
            Thread closer = new Thread(() -> {
                ready.countDown();
                for (int i = 0; i < spins; i++) {
                    Thread.onSpinWait();
                }
                value.close();
            });
            closer.start();
            ready.await();
            try (CsrValue csr = value.toCsr()) {
                assertExpected(csr);
                converted++;
            } catch (ClosedResourceException expected) {
                refused++;
            }
            closer.join();
        }
        assertTrue(converted > 0 && refused > 0, "the race was not exercised both ways: " + converted
                + " converted, " + refused + " refused");
        assertEquals(0, ledger.liveBlocks(), ledger::toString);
    }

    /** Row r holds columns r and r + 1 with values 10r and 10r + 1 (four entries per row). */
    private HostSparseValue foreignSparseValue(boolean byRow) {
        ByteBuffer indices = ByteBuffer.allocateDirect(NNZ * 2 * Long.BYTES).order(ByteOrder.nativeOrder());
        ByteBuffer values = ByteBuffer.allocateDirect(NNZ * Float.BYTES).order(ByteOrder.nativeOrder());
        for (int e = 0; e < NNZ; e++) {
            int row = e / 4;
            int p = byRow ? e : (ROWS - 1 - row) * 4 + e % 4;
            indices.putLong(2 * p * Long.BYTES, row);
            indices.putLong((2 * p + 1) * Long.BYTES, row + e % 4);
            values.putFloat(p * Float.BYTES, 10 * row + e % 4);
        }
        HostStorage indexMemory = HostStorage.wrap(indices, ledger, () -> overwrite(indices));
        HostStorage valueMemory = HostStorage.wrap(values, ledger, () -> overwrite(values));
        return new HostSparseValue(HostArrays.sharePinned(indexMemory, DType.INT64, Shape.of(NNZ, 2), CPU, true),
                HostArrays.sharePinned(valueMemory, DType.FLOAT32, Shape.of(NNZ), CPU, true),
                Shape.of(ROWS, ROWS + 4), byRow, CPU, ledger);
    }

    /** What the owner does on close: the bytes become another owner's (here, a pattern of 0x7f). */
    private static void overwrite(ByteBuffer memory) {
        for (int i = 0; i < memory.capacity(); i++) {
            memory.put(i, (byte) 0x7f);
        }
    }

    private static void assertExpected(CsrValue csr) {
        long[] indptr = csr.indptr().toLongArray();
        long[] columns = csr.indices().toLongArray();
        float[] values = csr.values().toFloatArray();
        long[] expectedIndptr = new long[ROWS + 1];
        long[] expectedColumns = new long[NNZ];
        float[] expectedValues = new float[NNZ];
        for (int e = 0; e < NNZ; e++) {
            int row = e / 4;
            expectedIndptr[row + 1] = e + 1;
            expectedColumns[e] = row + e % 4;
            expectedValues[e] = 10 * row + e % 4;
        }
        assertArrayEquals(expectedIndptr, indptr, "row pointers");
        assertArrayEquals(expectedColumns, columns, "columns");
        assertArrayEquals(expectedValues, values, "values");
    }
}
