package org.tensorbridge.backend.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.TensorScope;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.Storage;
import org.tensorbridge.op.Operation;
import org.tensorbridge.op.Operations;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.HostMemory;
import org.tensorbridge.spi.Kernel;
import org.tensorbridge.spi.KernelRegistry;
import org.tensorbridge.spi.Operand;

/**
 * An engine that allocates its own outputs, as TensorFlow does, plugs in without copies: its kernels
 * return the memory they computed into, the base adopts it as the result, and the spi copies 0 bytes per
 * operation. The test engine records every block it allocates, so the results can be shown to be those
 * very blocks.
 */
class AdoptedResultsTest {
    /** An "engine" that allocates each result itself and remembers it. */
    private static final class Engine {
        final List<Storage> allocated = new CopyOnWriteArrayList<>();
        private final HostMemory memory;

        Engine(HostMemory memory) {
            this.memory = memory;
        }

        /** A kernel computing like the reference but into a block the engine allocated. */
        Kernel adopting(Operation operation) {
            return call -> {
                Storage result = memory.allocate(call.resultDType(), call.resultShape());
                allocated.add(result);
                Operand out = new Operand(result, call.resultDType(), call.resultShape());
                if (operation.isElementwise()) {
                    ReferenceKernels.elementwise(call, out);
                } else if (operation == Operations.MATMUL) {
                    ReferenceKernels.matmul(call, out);
                } else {
                    ReferenceKernels.reduce(call, out);
                }
                return result;
            };
        }
    }

    private static final List<Operation> ADOPTED = List.of(Operations.ADD, Operations.MULTIPLY, Operations.EXP,
            Operations.MAXIMUM, Operations.MATMUL, Operations.SUM);

    @Test
    void kernelsThatReturnTheirOwnMemoryCostNoCopy() {
        Engine[] engine = new Engine[1];
        AbstractBackend backend = new ReferenceBackend(ReferenceBackend.spec("adopting").memory(ledger -> {
            HostMemory memory = new HostMemory(ledger, false);
            engine[0] = new Engine(memory);
            return memory;
        }).kernels(adoptingKernels(engine)).build()) {
        };
        try (TensorScope scope = TensorScope.open()) {
            Tensor a = backend.constant(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor b = backend.constant(new float[] {1, 0, -1}, 3);
            List<Tensor> results = List.of(a.add(b), a.multiply(b), a.exp(), a.maximum(b), a.matmul(a.transpose()),
                    a.sum(1));
            for (int i = 0; i < ADOPTED.size(); i++) {
                Operation op = ADOPTED.get(i);
                assertEquals(1, backend.statistics().calls(op), op + " ran once");
                assertEquals(0, backend.statistics().bytesCopied(op), op + ": an adopted result costs no copy");
                assertTrue(aliases(engine[0].allocated.get(i), results.get(i)),
                        op + ": the result's memory is the block the engine allocated, adopted as it is");
            }
            try (HostArray sum = results.get(5).toHost()) {
                assertEquals("[6.0, 15.0]", sum.formatValues());
            }
        }
        assertEquals(0, backend.ledger().liveBlocks(), "every adopted block is released with its tensor");
    }

    private static KernelRegistry adoptingKernels(Engine[] engine) {
        KernelRegistry.Builder kernels = KernelRegistry.builder().include(ReferenceBackend.kernels());
        for (Operation op : ADOPTED) {
            kernels.adopt(op, EnumSet.allOf(DType.class), call -> engine[0].adopting(op).compute(call));
        }
        return kernels.build();
    }

    /** True if a write to {@code block} shows in a shared view of {@code tensor}: they are the same memory. */
    private static boolean aliases(Storage block, Tensor tensor) {
        ByteBuffer engine = ((HostStorage) block).transientBuffer();
        try (HostArray view = tensor.toHost(CopyPolicy.NEVER)) {
            ByteBuffer shared = view.asByteBuffer();
            byte before = engine.get(0);
            engine.put(0, (byte) (before + 1));
            boolean seen = shared.get(0) == (byte) (before + 1);
            engine.put(0, before);
            return seen;
        }
    }
}
