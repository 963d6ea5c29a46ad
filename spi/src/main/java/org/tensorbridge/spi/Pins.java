package org.tensorbridge.spi;

import java.util.ArrayList;
import java.util.List;
import org.tensorbridge.memory.Storage;

/**
 * The references one call holds on its operands, released together when the call ends: pins that
 * close themselves in try-with-resources, so no path forgets a release. While they are held, a
 * concurrent {@code close()} of a tensor cannot free memory a kernel reads. Not thread-safe; one per
 * call.
 */
final class Pins implements AutoCloseable {
    private final List<Storage> held = new ArrayList<>();

    /** Pins a dense tensor for the call. */
    Operand dense(BackendTensor tensor, String argument) {
        Operand operand = tensor.pin(argument);
        held.add(operand.storage());
        return operand;
    }

    /** Pins both parts of a sparse tensor for the call. */
    SparseOperand sparse(BackendSparseTensor tensor, String argument) {
        SparseOperand operand = tensor.pin(argument);
        held.add(operand.indices().storage());
        held.add(operand.values().storage());
        return operand;
    }

    /**
     * Hands one of the held references to the caller, who keeps it beyond the call (a view's memory,
     * the indices a scaled sparse tensor shares).
     */
    Storage keep(Storage storage) {
        if (!held.remove(storage)) {
            throw new IllegalStateException("no pin holds this storage");
        }
        return storage;
    }

    @Override
    public void close() {
        for (int i = held.size() - 1; i >= 0; i--) {
            held.get(i).release();
        }
        held.clear();
    }
}
