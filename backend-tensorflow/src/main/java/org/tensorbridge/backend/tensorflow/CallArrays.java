package org.tensorbridge.backend.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.tensorflow.internal.c_api.TF_Output;

/**
 * The native argument arrays of one call into TensorFlow's C API, zeroed, freed together by {@link #close()}.
 * Why not JavaCPP's own ({@code new PointerPointer<>(n)}, {@code new TF_Output(n)}): each of those registers
 * with JavaCPP's deallocator registry, which on every registration also reads the process's resident memory
 * ({@code Pointer.physicalBytesInaccurate}); a JFR profile of a 1 K {@code Session.run} put about a tenth of
 * the run there. These are plain {@code calloc} blocks that nothing else tracks. Not thread-safe; one per call.
 */
final class CallArrays implements AutoCloseable {
    private final List<Pointer> blocks = new ArrayList<>(4);

    /** {@code n} (at least one) {@code TF_Output} structs. */
    TF_Output outputs(int n) {
        return new TF_Output(take(n, Loader.sizeof(TF_Output.class)));
    }

    /** {@code n} (at least one) pointers. */
    <P extends Pointer> PointerPointer<P> pointers(int n) {
        return new PointerPointer<>(take(n, Loader.sizeof(PointerPointer.class)));
    }

    /** {@code n} (at least one) C ints. */
    IntPointer ints(int n) {
        return new IntPointer(take(n, Integer.BYTES));
    }

    private Pointer take(int n, long size) {
        Pointer block = Pointer.calloc(Math.max(1, n), size);
        if (block == null || block.isNull()) {
            throw new OutOfMemoryError("calloc of " + Math.max(1, n) + " × " + size + " bytes for a TensorFlow call failed");
        }
        blocks.add(block);
        return block;
    }

    @Override
    public void close() {
        blocks.forEach(Pointer::free);
        blocks.clear();
    }
}
