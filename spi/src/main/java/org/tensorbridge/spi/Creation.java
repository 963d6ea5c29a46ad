package org.tensorbridge.spi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.CopyRequiredException;
import org.tensorbridge.DType;
import org.tensorbridge.Shape;
import org.tensorbridge.ShapeMismatchException;
import org.tensorbridge.Tensor;
import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.ScalarCodec;
import org.tensorbridge.memory.Storage;

/**
 * Tensors from caller buffers and fill values, for every backend built on the spi: wraps a buffer
 * through the backend's {@link HostWrapping} when the policy allows and the buffer can be wrapped,
 * uploads a copy otherwise, and refuses {@code NEVER} naming why. A foreign memory owner is closed
 * exactly once: with the last holder of wrapped memory, or at once when the data was copied or the
 * call failed. Thread-safe.
 */
final class Creation {
    private final AbstractBackend backend;
    private final BackendSpec spec;

    Creation(AbstractBackend backend, BackendSpec spec) {
        this.backend = backend;
        this.spec = spec;
    }

    Tensor fromBuffer(ByteBuffer data, DType dtype, Shape shape, CopyPolicy policy, AutoCloseable owner) {
        boolean ownerTaken = false;
        try {
            Objects.requireNonNull(data, "data must not be null");
            Objects.requireNonNull(dtype, "dtype must not be null");
            Objects.requireNonNull(shape, "shape must not be null; use Shape.scalar() for rank 0");
            Objects.requireNonNull(policy, "policy must not be null; use CopyPolicy.IF_NEEDED for the default");
            backend.requireSupported(dtype, "dtype");
            long bytes = backend.byteSize(dtype, shape, "shape");
            if (data.remaining() != bytes) {
                throw new ShapeMismatchException("data has " + data.remaining() + " bytes remaining but a "
                        + dtype.displayName() + shape + " tensor needs " + bytes + "; set the buffer's position and "
                        + "limit around exactly the elements, or fix dtype/shape");
            }
            if (policy != CopyPolicy.ALWAYS) {
                String refusal = wrapRefusal(data);
                if (refusal == null) {
                    HostStorage wrapped = HostStorage.wrap(data, spec.ledger, owner);
                    ownerTaken = owner != null;
                    return new BackendTensor(backend, spec.wrapping.wrap(wrapped), dtype, shape);
                }
                if (policy == CopyPolicy.NEVER) {
                    throw new CopyRequiredException("data cannot become a tensor on " + spec.device
                            + " without a copy under CopyPolicy.NEVER: " + refusal
                            + ". Use CopyPolicy.IF_NEEDED to let it copy");
                }
            }
            Storage storage = spec.memory.allocate(dtype, shape);
            try {
                spec.memory.upload(nativeOrder(data, dtype), storage);
            } catch (RuntimeException | Error e) {
                storage.release();
                throw e;
            }
            return new BackendTensor(backend, storage, dtype, shape);
        } finally {
            if (owner != null && !ownerTaken) {
                HostStorage.closeOwner(owner);
            }
        }
    }

    Tensor fill(DType dtype, Shape shape, Number value) {
        Objects.requireNonNull(dtype, "dtype must not be null");
        Objects.requireNonNull(shape, "shape must not be null; use Shape.scalar() for rank 0");
        backend.requireSupported(dtype, "dtype");
        ByteBuffer element = ScalarCodec.encode(value, dtype, "value");
        backend.byteSize(dtype, shape, "shape");
        Storage storage = spec.memory.allocate(dtype, shape);
        try {
            if (shape.elementCount() > 0) {
                spec.memory.fill(new Operand(storage, dtype, shape), element);
            }
        } catch (RuntimeException | Error e) {
            storage.release();
            throw e;
        }
        return new BackendTensor(backend, storage, dtype, shape);
    }

    private String wrapRefusal(ByteBuffer data) {
        if (spec.wrapping == null) {
            return "backend " + backend.name() + " does not wrap host buffers";
        }
        if (!data.isDirect()) {
            return "data is a heap buffer; allocate it with ByteBuffer.allocateDirect";
        }
        if (data.order() != ByteOrder.nativeOrder()) {
            return "data is " + data.order() + " but the platform is " + ByteOrder.nativeOrder()
                    + "; call data.order(ByteOrder.nativeOrder()) if the bytes are native-order";
        }
        return null;
    }

    /** The elements of {@code data} in native byte order: the buffer itself, or a swapped copy. */
    private static ByteBuffer nativeOrder(ByteBuffer data, DType dtype) {
        ByteBuffer source = data.slice().order(data.order());
        if (data.order() == ByteOrder.nativeOrder() || dtype.byteWidth() == 1) {
            return source;
        }
        ByteBuffer swapped = ByteBuffer.allocateDirect(source.remaining()).order(ByteOrder.nativeOrder());
        switch (dtype.byteWidth()) {
            case 2 -> swapped.asShortBuffer().put(source.asShortBuffer());
            case 4 -> swapped.asIntBuffer().put(source.asIntBuffer());
            default -> swapped.asLongBuffer().put(source.asLongBuffer());
        }
        return swapped;
    }
}
