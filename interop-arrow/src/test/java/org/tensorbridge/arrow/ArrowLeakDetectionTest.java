package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Backend;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;

/**
 * The premise of every other test here: closing an allocator that still counts memory throws, so a
 * test that closes its allocator fails on a leak, memory lent to Arrow or borrowed from it included.
 * (After that failure Arrow refuses every operation on the allocator, so releases that come later do
 * not reach it: close the allocator last.)
 */
class ArrowLeakDetectionTest {
    private final Backend cpu = TestMemory.cpu();

    @Test
    void memoryLentToArrowAndNotGivenBackMakesClosingTheAllocatorThrow() {
        long liveBefore = TestMemory.liveBytes(cpu);
        RootAllocator allocator = new RootAllocator();
        HostArray array;
        try (Tensor tensor = cpu.zeros(DType.INT32, Shape.of(2, 2))) {
            array = tensor.toHost(CopyPolicy.NEVER);
        }
        ExportedTensor export = ArrowExport.export(array, "t", allocator);
        IllegalStateException leak = assertThrows(IllegalStateException.class, allocator::close);
        assertTrue(leak.getMessage().contains("Memory was leaked"), leak.getMessage());
        assertThrows(IllegalStateException.class, export::close, "Arrow refuses releases once the allocator is closed");
        // Arrow never gives the array back now, so release the host side by hand (closing twice is harmless).
        array.close();
        assertEquals(liveBefore, TestMemory.liveBytes(cpu), "the host side is released even so");
    }

    @Test
    void arrowMemoryHeldByATensorMakesClosingTheAllocatorThrow() {
        long liveBefore = TestMemory.liveBytes(cpu);
        RootAllocator allocator = new RootAllocator();
        Tensor imported;
        try (IntVector column = new IntVector("v", allocator)) {
            column.allocateNew(4);
            for (int i = 0; i < 4; i++) {
                column.set(i, i);
            }
            column.setValueCount(4);
            imported = ArrowImport.toTensor(column, cpu, CopyPolicy.NEVER);
        }
        IllegalStateException leak = assertThrows(IllegalStateException.class, allocator::close);
        assertTrue(leak.getMessage().contains("Memory was leaked"), leak.getMessage());
        imported.close();
        assertEquals(liveBefore, TestMemory.liveBytes(cpu), "the tensor side is released even so");
    }
}
