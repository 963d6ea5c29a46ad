package org.tensorbridge.spi;

import org.tensorbridge.memory.Storage;

/**
 * The references one call holds on its operands, released together when the call ends: pins that
 * close themselves in try-with-resources, so no path forgets a release. While they are held, a
 * concurrent {@code close()} of a tensor cannot free memory a kernel reads. Not thread-safe; one per
 * call.
 */
final class Pins implements AutoCloseable {
    /** Most calls pin one to four storages: a small array, grown when needed. */
    private Storage[] held = new Storage[4];
    private int count;

    /** Pins a dense tensor for the call. */
    Operand dense(BackendTensor tensor, String argument) {
        Operand operand = tensor.pin(argument);
        hold(operand.storage());
        return operand;
    }

    /** Pins both parts of a sparse tensor for the call. */
    SparseOperand sparse(BackendSparseTensor tensor, String argument) {
        SparseOperand operand = tensor.pin(argument);
        hold(operand.indices().storage());
        hold(operand.values().storage());
        return operand;
    }

    /**
     * Hands one of the held references to the caller, who keeps it beyond the call (a view's memory,
     * the indices a scaled sparse tensor shares).
     */
    Storage keep(Storage storage) {
        for (int i = 0; i < count; i++) {
            if (held[i] == storage) {
                System.arraycopy(held, i + 1, held, i, count - i - 1);
                held[--count] = null;
                return storage;
            }
        }
        throw new IllegalStateException("no pin holds this storage");
    }

    private void hold(Storage storage) {
        if (count == held.length) {
            held = java.util.Arrays.copyOf(held, count * 2);
        }
        held[count++] = storage;
    }

    @Override
    public void close() {
        for (int i = count - 1; i >= 0; i--) {
            held[i].release();
            held[i] = null;
        }
        count = 0;
    }
}
