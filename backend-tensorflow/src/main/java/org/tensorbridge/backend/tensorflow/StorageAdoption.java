package org.tensorbridge.backend.tensorflow;

import java.util.concurrent.atomic.AtomicBoolean;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.op.Attribute;
import org.tensorbridge.op.Attributes;
import org.tensorbridge.op.Operation;
import org.tensorbridge.spi.AbstractBackend;
import org.tensorbridge.spi.KernelRegistry;

/**
 * Tensors over memory this backend got outside a kernel: a tensor of TensorFlow Java's, a graph run's
 * output. The spi makes a tensor only of a kernel's result, so the memory goes through a kernel: operation
 * {@code tensorflow_adopt}, with no input, whose attribute carries the memory and whose kernel returns it.
 * Stateless.
 */
final class StorageAdoption {
    private static final Attribute<Handoff> MEMORY = Attribute.define("tensorflowMemory", Handoff.class);

    /** The operation whose result is the memory its attribute carries. */
    static final Operation ADOPT = Operation.builder("tensorflow_adopt")
            .dtype(call -> call.attributes().get(MEMORY).dtype)
            .shape(call -> call.attributes().get(MEMORY).shape.toArray())
            .build();

    private StorageAdoption() {
    }

    /** Registers the kernel of {@link #ADOPT}. */
    static KernelRegistry.Builder register(KernelRegistry.Builder kernels, java.util.Set<DType> dtypes) {
        return kernels.adopt(ADOPT, dtypes, call -> call.attributes().get(MEMORY).take());
    }

    /** A tensor of {@code backend} over {@code storage}, taking over the caller's reference. */
    static Tensor tensor(AbstractBackend backend, TfStorage storage, DType dtype, Shape shape) {
        Handoff handoff = new Handoff(storage, dtype, shape);
        try {
            return backend.apply(ADOPT, Attributes.of(MEMORY, handoff));
        } finally {
            handoff.releaseUnlessTaken();
        }
    }

    /** Memory with one reference, taken by the kernel, or released if no kernel ran (an empty result). */
    private static final class Handoff {
        final TfStorage storage;
        final DType dtype;
        final Shape shape;
        final AtomicBoolean taken = new AtomicBoolean();

        Handoff(TfStorage storage, DType dtype, Shape shape) {
            this.storage = storage;
            this.dtype = dtype;
            this.shape = shape;
        }

        TfStorage take() {
            if (!taken.compareAndSet(false, true)) {
                throw new IllegalStateException("memory handed over twice");
            }
            return storage;
        }

        void releaseUnlessTaken() {
            if (taken.compareAndSet(false, true)) {
                storage.release();
            }
        }
    }
}
